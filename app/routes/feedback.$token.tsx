// Answers from follow-up emails, one click each: the delivery check-in (?answer=ok|problem)
// and the NPS survey (?score=0..10), then an optional comment posted from the same page.
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { ShopperPage } from "~/components/ShopperPage";
import { now } from "~/modules/clock";
import { findAnsweredMessage, findFeedback, parseNpsScore, recordCheckin, recordNps } from "~/modules/feedback";
import { verifyLink } from "~/modules/messaging/tokens";

export const meta: MetaFunction = () => [{ title: "Your answer" }, { name: "robots", content: "noindex" }];

const MAX_COMMENT = 2000;

async function resolve(token: string | undefined) {
  if (!token) return null;
  const at = now();
  const claims = verifyLink(token, "checkin", at) ?? verifyLink(token, "nps", at);
  if (!claims) return null;
  const message = await findAnsweredMessage(claims.shop, claims.message);
  return message ? { kind: claims.purpose as "checkin" | "nps", message } : null;
}

export const loader = async ({ request, params }: LoaderFunctionArgs) => {
  const found = await resolve(params.token);
  if (!found) throw new Response("This link has expired or is not valid.", { status: 404 });
  const { kind, message } = found;
  const query = new URL(request.url).searchParams;
  const base = { kind, store: message.shopName, order: message.orderName };
  if (kind === "checkin") {
    const answer = query.get("answer");
    if (answer === "ok" || answer === "problem") await recordCheckin(message, answer, null, now());
    const saved = await findFeedback(message.shop, message.id, "checkin");
    return { ...base, answer: saved?.answer ?? null, score: null };
  }
  const score = parseNpsScore(query.get("score"));
  if (score !== null) await recordNps(message, score, null, now());
  const saved = await findFeedback(message.shop, message.id, "nps");
  return { ...base, answer: null, score: saved?.score ?? null };
};

export const action = async ({ request, params }: ActionFunctionArgs) => {
  const found = await resolve(params.token);
  if (!found) throw new Response("This link has expired or is not valid.", { status: 404 });
  const form = await request.formData();
  const comment = String(form.get("comment") ?? "").trim().slice(0, MAX_COMMENT);
  if (found.kind === "checkin") await recordCheckin(found.message, "problem", comment || null, now());
  else await recordNps(found.message, parseNpsScore(String(form.get("score") ?? "")), comment || null, now());
  return { thanked: true };
};

function NpsScale({ chosen }: { chosen: number | null }) {
  return (
    <>
      <div className="scale">
        {Array.from({ length: 11 }, (_, score) => (
          <a key={score} href={`?score=${score}`} className={score === chosen ? "chosen" : undefined}>
            {score}
          </a>
        ))}
      </div>
      <div className="ends">
        <span>Not likely</span>
        <span>Very likely</span>
      </div>
    </>
  );
}

export default function Feedback() {
  const data = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  if (result?.thanked) {
    return (
      <ShopperPage store={data.store}>
        <h1>Thank you</h1>
        <p>{data.kind === "checkin" ? "We've got your message and someone from the store will be in touch." : "Thank you for telling us. We read every answer."}</p>
      </ShopperPage>
    );
  }
  if (data.kind === "checkin") {
    return (
      <ShopperPage store={data.store}>
        {data.answer === "problem" ? (
          <>
            <h1>We're sorry{data.order ? ` about ${data.order}` : ""}</h1>
            <p>Tell us what happened and we'll put it right. A person from the store reads this.</p>
            <Form method="post">
              <label htmlFor="comment">What went wrong?</label>
              <textarea id="comment" name="comment" maxLength={MAX_COMMENT} placeholder="e.g. the mug arrived chipped" />
              <button type="submit">Send to the store</button>
            </Form>
          </>
        ) : data.answer === "ok" ? (
          <>
            <h1>Glad it arrived safely</h1>
            <p>Thanks for letting us know. Enjoy{data.order ? ` your order ${data.order}` : ""}!</p>
            <p className="muted">
              Something not right after all? <a href="?answer=problem">Tell us about a problem</a>.
            </p>
          </>
        ) : (
          <>
            <h1>Did your order arrive in good condition?</h1>
            <p>
              <a className="button" href="?answer=ok">Yes, all good</a> <a className="button" href="?answer=problem">There's a problem</a>
            </p>
          </>
        )}
      </ShopperPage>
    );
  }
  return (
    <ShopperPage store={data.store}>
      <h1>How likely are you to recommend {data.store} to a friend?</h1>
      <NpsScale chosen={data.score} />
      {data.score !== null ? (
        <Form method="post" style={{ marginTop: 20 }}>
          <input type="hidden" name="score" value={data.score} />
          <label htmlFor="comment">{data.score >= 9 ? "What do you like most?" : data.score >= 7 ? "What would make it a 10?" : "What should we do better?"} (optional)</label>
          <textarea id="comment" name="comment" maxLength={MAX_COMMENT} />
          <button type="submit">Send</button>
        </Form>
      ) : null}
    </ShopperPage>
  );
}
