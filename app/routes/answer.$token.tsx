// The page an invitation to answer a shopper's question opens: the question, and a box for the
// verified buyer's answer. A signed link, no login; a plain form that works without JavaScript
// and on a phone. The answer waits for the merchant before it shows on the store.
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { ShopperPage } from "~/components/shopper-page";
import { requireSignedLink } from "~/edge/signed-links";
import { now } from "~/modules/clock";
import { findAnswerInvitation, submitBuyerAnswer } from "~/modules/questions";
import { QUESTION_LIMITS } from "~/modules/questions/limits";
import { allowAttempt } from "~/modules/storefront/rate-limit";

export const meta: MetaFunction = () => [{ title: "Answer a question" }, { name: "robots", content: "noindex" }];

const SUBMISSIONS_PER_LINK = { limit: 10, windowMs: 10 * 60_000 };

const invitation = (token: string | undefined) => requireSignedLink(token, ["answer"], (claims) => findAnswerInvitation(claims.shop, claims.message));

export const loader = async ({ params }: LoaderFunctionArgs) => {
  const found = await invitation(params.token);
  return {
    store: found.storeName,
    product: found.question.productTitle,
    question: found.question.body,
    asker: found.question.askerName,
    open: found.open,
    displayName: found.displayName,
    answered: found.existing !== null,
  };
};

type ActionData = { saved?: true; already?: true; closed?: true; error?: string; answer?: string };

export const action = async ({ request, params }: ActionFunctionArgs) => {
  const found = await invitation(params.token);
  if (!allowAttempt(`answer:${params.token}`, SUBMISSIONS_PER_LINK.limit, SUBMISSIONS_PER_LINK.windowMs)) {
    return Response.json({ error: "That was a lot of tries in a short time. Please wait a few minutes." }, { status: 429 });
  }
  const answer = String((await request.formData()).get("answer") ?? "");
  const result = await submitBuyerAnswer(found, answer, now());
  if (result.kind === "invalid") return Response.json({ error: result.error, answer }, { status: 400 });
  if (result.kind === "closed") return Response.json({ closed: true }, { status: 409 });
  return Response.json(result.kind === "already" ? { already: true } : { saved: true });
};

const quote = { margin: "12px 0", padding: "12px 16px", borderLeft: "3px solid #2c6e49", background: "#f6f6f4", whiteSpace: "pre-wrap" as const };

export default function AnswerQuestion() {
  const { store, product, question, asker, open, displayName, answered } = useLoaderData<typeof loader>();
  const result = useActionData<ActionData>();
  const sending = useNavigation().state === "submitting";
  if (result?.saved) {
    return (
      <ShopperPage store={store}>
        <h1>Thank you for your answer</h1>
        <p>{`The store reads every answer before it goes up. Once it does, it shows under the question on the ${product} page as “${displayName}”, verified buyer.`}</p>
      </ShopperPage>
    );
  }
  if (answered || result?.already) {
    return (
      <ShopperPage store={store}>
        <h1>You've answered this one</h1>
        <p>Thank you. One answer per question is plenty; if something has changed, just reply to the email and tell the store.</p>
      </ShopperPage>
    );
  }
  if (!open || result?.closed) {
    return (
      <ShopperPage store={store}>
        <h1>This question is closed</h1>
        <p>The store has taken this question down, so it no longer needs an answer. Thank you for being willing to help.</p>
      </ShopperPage>
    );
  }
  return (
    <ShopperPage store={store}>
      <h1>{`A question about the ${product}`}</h1>
      <blockquote style={quote}>{question}</blockquote>
      <p className="muted">{`Asked by ${asker}`}</p>
      <Form method="post" className="review-form">
        <label htmlFor="answer">Your answer</label>
        <textarea
          id="answer"
          name="answer"
          maxLength={QUESTION_LIMITS.answer}
          required
          defaultValue={result?.answer}
          placeholder="What would you tell a friend who asked you this?"
        />
        {result?.error ? (
          <p className="error" role="alert">
            {result.error}
          </p>
        ) : null}
        <p className="muted">{`Shown as “${displayName}”, verified buyer, once the store has read it.`}</p>
        <button type="submit" disabled={sending}>
          {sending ? "Sending…" : "Post my answer"}
        </button>
      </Form>
    </ShopperPage>
  );
}
