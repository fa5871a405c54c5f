// The review page a review request's stars open: the rating already chosen, then a title, a few
// words, the name to show and up to three photos. A signed link, no login; works without
// JavaScript (a plain multipart form), and on a phone.
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { ShopperPage } from "~/components/shopper-page";
import { requireSignedLink } from "~/edge/signed-links";
import { readReviewForm } from "~/review-form.server";
import { now } from "~/modules/clock";
import { findReviewInvitation, submitInvitedReview, type DraftErrors } from "~/modules/reviews";
import { ACCEPTED_PHOTO_TYPES, LIMITS, MAX_PHOTOS } from "~/modules/reviews/limits";
import { allowAttempt } from "~/modules/storefront/rate-limit";

export const meta: MetaFunction = () => [{ title: "Write a review" }, { name: "robots", content: "noindex" }];

const SUBMISSIONS_PER_LINK = { limit: 10, windowMs: 10 * 60_000 };

const invitation = (token: string | undefined, productId: string | null) =>
  requireSignedLink(token, ["review"], async (claims) => (productId ? findReviewInvitation(claims.shop, claims.message, productId) : null));

export const loader = async ({ request, params }: LoaderFunctionArgs) => {
  const query = new URL(request.url).searchParams;
  const found = await invitation(params.token, query.get("product"));
  const rating = Number(query.get("rating"));
  return {
    store: found.storeName,
    product: found.productTitle,
    variant: found.variantTitle,
    rating: Number.isInteger(rating) && rating >= 1 && rating <= 5 ? rating : null,
    name: found.suggestedName,
    existing: found.existing,
    reward: found.rewardOffer,
  };
};

type ActionData = { saved?: "published" | "pending"; already?: boolean; errors?: DraftErrors; values?: Record<string, string> };

export const action = async ({ request, params }: ActionFunctionArgs): Promise<ActionData | Response> => {
  const found = await invitation(params.token, new URL(request.url).searchParams.get("product"));
  if (!allowAttempt(`review:${found.messageId}`, SUBMISSIONS_PER_LINK.limit, SUBMISSIONS_PER_LINK.windowMs)) {
    return Response.json({ errors: { body: "That was a lot of tries in a short time. Please wait a few minutes." } }, { status: 429 });
  }
  const read = await readReviewForm(request);
  if ("errors" in read) return Response.json({ errors: read.errors }, { status: read.status });
  const { draft } = read;
  const result = await submitInvitedReview(found, draft, now());
  if (result.kind === "invalid") {
    return Response.json(
      { errors: result.errors, values: { rating: String(read.form.get("rating") ?? ""), title: draft.title, body: draft.body, authorName: draft.authorName } },
      { status: 400 },
    );
  }
  if (result.kind === "already") return { already: true };
  return { saved: result.status };
};

function Stars({ chosen }: { chosen: number | null }) {
  // Reversed in the markup so the pure-CSS "this star and the ones before it" highlight works.
  return (
    <fieldset className="stars">
      <legend>Your rating</legend>
      <div className="star-row">
        {[5, 4, 3, 2, 1].map((value) => (
          <span key={value}>
            <input type="radio" id={`star-${value}`} name="rating" value={value} defaultChecked={value === chosen} required />
            <label htmlFor={`star-${value}`} title={`${value} of 5`}>
              <span aria-hidden="true">★</span>
              <span className="visually-hidden">{`${value} star${value === 1 ? "" : "s"}`}</span>
            </label>
          </span>
        ))}
      </div>
    </fieldset>
  );
}

export default function WriteReview() {
  const { store, product, variant, rating, name, existing, reward } = useLoaderData<typeof loader>();
  const result = useActionData<ActionData>();
  const sending = useNavigation().state === "submitting";
  if (result?.saved || result?.already || existing) {
    const live = result?.saved === "published" || (!result && existing?.status === "published");
    return (
      <ShopperPage store={store}>
        <h1>{result?.saved ? "Thank you for your review" : `You've reviewed ${product}`}</h1>
        <p>
          {live
            ? "It's live on the store now, helping the next customer decide."
            : result?.already || existing
              ? "Thank you. One review per item is plenty; if something has changed, just reply to the email and tell the store."
              : "The store reads every review before it goes up, so it will appear shortly."}
        </p>
        {result?.saved && reward ? (
          <p>
            {live
              ? `As a thank-you, we'll email you a ${reward} discount code for your next order.`
              : `Once your review is published we'll email you a ${reward} discount code for your next order.`}
          </p>
        ) : null}
      </ShopperPage>
    );
  }
  const errors = result?.errors ?? {};
  const values = result?.values ?? {};
  const error = (field: keyof DraftErrors) =>
    errors[field] ? (
      <p className="error" role="alert">
        {errors[field]}
      </p>
    ) : null;
  return (
    <ShopperPage store={store}>
      <h1>{`How is your ${product}?`}</h1>
      {variant ? <p className="muted">{variant}</p> : null}
      <Form method="post" encType="multipart/form-data" className="review-form">
        <Stars chosen={values.rating ? Number(values.rating) : rating} />
        {error("rating")}
        <label htmlFor="title">
          Title <span className="muted">(optional)</span>
        </label>
        <input id="title" name="title" maxLength={LIMITS.title} defaultValue={values.title} placeholder="Sum it up in a few words" />
        {error("title")}
        <label htmlFor="body">Your review</label>
        <textarea
          id="body"
          name="body"
          maxLength={LIMITS.body}
          required
          defaultValue={values.body}
          placeholder="What did you like? What could be better? Who would you recommend it to?"
        />
        {error("body")}
        <label htmlFor="authorName">Name shown with your review</label>
        <input id="authorName" name="authorName" maxLength={LIMITS.name} required defaultValue={values.authorName ?? name} />
        {error("authorName")}
        <label htmlFor="photos">
          Photos <span className="muted">(up to {MAX_PHOTOS}, optional)</span>
        </label>
        <input id="photos" name="photos" type="file" accept={ACCEPTED_PHOTO_TYPES.join(",")} multiple />
        {error("photos")}
        <p className="muted">Photos are resized and cleaned of location data before anyone sees them.</p>
        <button type="submit" disabled={sending}>
          {sending ? "Sending…" : "Post my review"}
        </button>
      </Form>
    </ShopperPage>
  );
}
