// "Remind me in 2, 4 or 8 weeks, or never" from a re-order reminder (signed link, no login).
// The email's link opens the page with its choice first; the page's button records it (a POST),
// since mail scanners open every link of an email they check. Then the page confirms it, with
// the other choices to change it.
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { ShopperPage } from "~/components/shopper-page";
import { requireSignedLink } from "~/edge/signed-links";
import { formatShopTime } from "~/format";
import { now } from "~/modules/clock";
import { findReorderReminder, parseReorderAnswer, recordReorderAnswer } from "~/modules/followups/choices";

export const meta: MetaFunction = () => [{ title: "Your reminder" }, { name: "robots", content: "noindex" }];

const CHOICES = [
  { value: "2", label: "In 2 weeks" },
  { value: "4", label: "In 4 weeks" },
  { value: "8", label: "In 8 weeks" },
  { value: "never", label: "Never for this product" },
];

function reminder(request: Request, token: string | undefined) {
  const product = new URL(request.url).searchParams.get("product") ?? "";
  return requireSignedLink(token, ["reorder"], (claims) => findReorderReminder(claims.shop, claims.message, product));
}

export const loader = async ({ request, params }: LoaderFunctionArgs) => {
  const found = await reminder(request, params.token);
  const weeks = new URL(request.url).searchParams.get("weeks");
  // The plain-text email links here with no choice: the page asks.
  if (weeks !== null && !parseReorderAnswer(weeks)) throw new Response("Choose 2, 4 or 8 weeks, or never.", { status: 400 });
  return { store: found.storeName, product: found.productTitle, suggested: weeks };
};

export const action = async ({ request, params }: ActionFunctionArgs) => {
  const found = await reminder(request, params.token);
  const weeks = String((await request.formData()).get("weeks") ?? "");
  const answer = parseReorderAnswer(weeks);
  if (!answer) throw new Response("Choose 2, 4 or 8 weeks, or never.", { status: 400 });
  const dueAt = await recordReorderAnswer(found, answer, now());
  return { chosen: weeks, remindOn: dueAt ? formatShopTime(dueAt, found.timezone, "date") : null };
};

export default function ReorderChoice() {
  const { store, product, suggested } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  // Before an answer the link's choice is the filled-in button; after it, the others remain.
  const choices = result ? CHOICES.filter((choice) => choice.value !== result.chosen) : CHOICES;
  return (
    <ShopperPage store={store}>
      {!result ? (
        <>
          <h1>{`When should we remind you about ${product}?`}</h1>
          <p>We'll send one short note then, unless you've ordered it again by that time.</p>
        </>
      ) : result.remindOn ? (
        <>
          <h1>We'll remind you then</h1>
          <p>{`We'll send you a note about ${product} around ${result.remindOn}. If you order it before then, we won't.`}</p>
          <p className="muted">Changed your mind?</p>
        </>
      ) : (
        <>
          <h1>No more reminders for this</h1>
          <p>{`We won't remind you about ${product} again. Everything else from ${store} stays as it was.`}</p>
          <p className="muted">Changed your mind?</p>
        </>
      )}
      <Form method="post" className="choices">
        {choices.map((choice) => (
          <button key={choice.value} type="submit" name="weeks" value={choice.value} className={!result && choice.value === suggested ? undefined : "choice"}>
            {choice.label}
          </button>
        ))}
      </Form>
    </ShopperPage>
  );
}
