// The conversation page a store's reply email links to: the thread as the customer sees it
// (their messages and the store's, no staff names), and a box to answer. A signed link, no
// login; a plain form that works without JavaScript. The answer lands in the same thread and
// opens the conversation for the store again. The body is capped before it is read.
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { ShopperPage } from "~/components/shopper-page";
import { readCappedForm, singleField } from "~/edge/form-body";
import { requireSignedLink } from "~/edge/signed-links";
import { formatShopTime } from "~/format";
import { now } from "~/modules/clock";
import { answerConversation, conversationOfEmail, readMessageBody } from "~/modules/inbox";
import { MAX_MESSAGE } from "~/modules/inbox/limits";
import { allowAttempt } from "~/modules/storefront/rate-limit";

export const meta: MetaFunction = () => [{ title: "Your conversation" }, { name: "robots", content: "noindex" }];

const ANSWER_FORM_CAPS = { maxBytes: 32 * 1024, maxParts: 4, maxFieldBytes: 24 * 1024, maxFiles: 0, maxFileBytes: 0 };
const ANSWERS_PER_LINK = { limit: 10, windowMs: 10 * 60_000 };

const conversation = (token: string | undefined) => requireSignedLink(token, ["conversation"], (claims) => conversationOfEmail(claims.shop, claims.message));

export const loader = async ({ params }: LoaderFunctionArgs) => {
  const found = await conversation(params.token);
  return {
    store: found.store,
    order: found.order,
    messages: found.messages.map((m) => ({ id: m.id, mine: m.author === "customer", body: m.body, when: formatShopTime(m.createdAt, found.zone, "date") })),
  };
};

type ActionData = { sent?: true; error?: string; body?: string };

export const action = async ({ request, params }: ActionFunctionArgs) => {
  const found = await conversation(params.token);
  if (!allowAttempt(`conversation:${params.token}`, ANSWERS_PER_LINK.limit, ANSWERS_PER_LINK.windowMs)) {
    return Response.json({ error: "That was a lot of messages in a short time. Please wait a few minutes." }, { status: 429 });
  }
  const read = await readCappedForm(request, ANSWER_FORM_CAPS);
  if ("refused" in read) return Response.json({ error: `Write at most ${MAX_MESSAGE} characters.` }, { status: read.status });
  const typed = singleField(read.form, "body");
  const body = readMessageBody(typed);
  if (!body)
    return Response.json({ error: `Write your answer, at most ${MAX_MESSAGE} characters.`, body: typed?.slice(0, MAX_MESSAGE) ?? "" }, { status: 400 });
  await answerConversation(found.shop, found.id, body, now());
  return Response.json({ sent: true });
};

const bubble = (mine: boolean) => ({
  margin: "10px 0",
  padding: "10px 14px",
  borderRadius: 10,
  background: mine ? "#e3f1df" : "#f6f6f4",
  whiteSpace: "pre-wrap" as const,
});

export default function ConversationPage() {
  const { store, order, messages } = useLoaderData<typeof loader>();
  const result = useActionData<ActionData>();
  const sending = useNavigation().state === "submitting";
  if (result?.sent) {
    return (
      <ShopperPage store={store}>
        <h1>Thank you</h1>
        <p>Your message is with the store; they will answer you by email.</p>
      </ShopperPage>
    );
  }
  return (
    <ShopperPage store={store}>
      <h1>{order ? `About your order ${order}` : "Your conversation with us"}</h1>
      {messages.map((m) => (
        <div key={m.id} style={bubble(m.mine)}>
          <div className="muted">{`${m.mine ? "You" : store} · ${m.when}`}</div>
          {m.body}
        </div>
      ))}
      <Form method="post">
        <label htmlFor="body" style={{ fontWeight: 600, display: "block", marginTop: 18 }}>
          Your answer
        </label>
        <textarea id="body" name="body" maxLength={MAX_MESSAGE} required defaultValue={result?.body} />
        {result?.error ? <p className="error">{result.error}</p> : null}
        <button type="submit" disabled={sending}>
          {sending ? "Sending…" : "Send to the store"}
        </button>
      </Form>
    </ShopperPage>
  );
}
