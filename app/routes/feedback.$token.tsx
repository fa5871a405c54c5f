// Answers from follow-up emails: the delivery check-in (?answer=ok|problem) and the NPS survey
// (?score=0..10). A link only opens the page with its answer chosen; the answer is recorded by
// the page's button (a POST, with an optional comment), since mail scanners open every link of
// an email they check, and a problem reported by a scanner would open a case nobody had.
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { ShopperPage } from "~/components/shopper-page";
import { singleField } from "~/edge/form-body";
import { requireSignedLink } from "~/edge/signed-links";
import { now } from "~/modules/clock";
import { findAnsweredMessage, findFeedback, parseNpsScore, recordCheckin, recordNps, recordNpsDetails } from "~/modules/feedback";
import { MAX_SURVEY_TEXT, NPS_TOPICS, readNpsDetails, TOPIC_RATINGS } from "~/modules/feedback/survey";

export const meta: MetaFunction = () => [{ title: "Your answer" }, { name: "robots", content: "noindex" }];

const MAX_COMMENT = 2000;

const resolve = (token: string | undefined) =>
  requireSignedLink(token, ["checkin", "nps"], async (claims) => {
    const message = await findAnsweredMessage(claims.shop, claims.message);
    return message ? { kind: claims.purpose as "checkin" | "nps", message } : null;
  });

const checkinAnswer = (value: unknown) => (value === "ok" || value === "problem" ? value : null);

export const loader = async ({ request, params }: LoaderFunctionArgs) => {
  const found = await resolve(params.token);
  const { kind, message } = found;
  const query = new URL(request.url).searchParams;
  const saved = await findFeedback(message.shop, message.id, kind);
  return {
    kind,
    store: message.shopName,
    order: message.orderName,
    chosen: kind === "checkin" ? checkinAnswer(query.get("answer")) : null,
    saved: kind === "checkin" ? checkinAnswer(saved?.answer) : null,
    score: kind === "nps" ? (parseNpsScore(query.get("score")) ?? saved?.score ?? null) : null,
  };
};

type ActionData = { answer?: "ok" | "problem"; thanked?: true; more?: true };

export const action = async ({ request, params }: ActionFunctionArgs): Promise<ActionData> => {
  const found = await resolve(params.token);
  const form = await request.formData();
  const comment =
    String(form.get("comment") ?? "")
      .trim()
      .slice(0, MAX_COMMENT) || null;
  if (found.kind === "nps") {
    // The deeper survey, offered after the score: its answers join the score's record.
    if (form.get("intent") === "more") {
      const details = readNpsDetails((name) => singleField(form, name));
      if (details) await recordNpsDetails(found.message, details);
      return { thanked: true };
    }
    await recordNps(found.message, parseNpsScore(String(form.get("score") ?? "")), comment, now());
    return { thanked: true, more: true };
  }
  const answer = checkinAnswer(form.get("answer")) ?? "problem";
  await recordCheckin(found.message, answer, comment, now());
  return answer === "problem" && comment ? { thanked: true } : { answer };
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

/** A minute more, if the customer wants: delivery, service and range, then their own words. */
function DeeperSurvey({ store }: { store: string }) {
  return (
    <ShopperPage store={store}>
      <h1>Thank you</h1>
      <p>Would you tell us a little more? It takes a minute, and every answer is optional.</p>
      <Form method="post" className="survey">
        <input type="hidden" name="intent" value="more" />
        {NPS_TOPICS.map((topic) => (
          <fieldset key={topic.id}>
            <legend>{topic.label}</legend>
            <div className="choices">
              {TOPIC_RATINGS.map((rating) => (
                <label key={rating.value} className="choice">
                  <input type="radio" name={topic.id} value={rating.value} /> {rating.label}
                </label>
              ))}
            </div>
          </fieldset>
        ))}
        <label htmlFor="text">Anything else?</label>
        <textarea id="text" name="text" maxLength={MAX_SURVEY_TEXT} />
        <button type="submit">Send</button>
      </Form>
    </ShopperPage>
  );
}

export default function Feedback() {
  const data = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  if (result?.thanked && result.more) return <DeeperSurvey store={data.store} />;
  if (result?.thanked) {
    return (
      <ShopperPage store={data.store}>
        <h1>Thank you</h1>
        <p>
          {data.kind === "checkin" ? "We've got your message and someone from the store will be in touch." : "Thank you for telling us. We read every answer."}
        </p>
      </ShopperPage>
    );
  }
  if (data.kind === "checkin") {
    // A link's choice is only shown until the button records it; an answer recorded before shows too.
    const answer = result?.answer ?? data.chosen ?? data.saved;
    const okRecorded = result?.answer === "ok" || (data.saved === "ok" && answer === "ok");
    return (
      <ShopperPage store={data.store}>
        {okRecorded ? (
          <>
            <h1>Glad it arrived safely</h1>
            <p>Thanks for letting us know. Enjoy{data.order ? ` your order ${data.order}` : ""}!</p>
            <p className="muted">
              Something not right after all? <a href="?answer=problem">Tell us about a problem</a>.
            </p>
          </>
        ) : answer === "problem" ? (
          <>
            <h1>We're sorry{data.order ? ` about ${data.order}` : ""}</h1>
            <p>Tell us what happened and we'll put it right. A person from the store reads this.</p>
            <Form method="post">
              <input type="hidden" name="answer" value="problem" />
              <label htmlFor="comment">What went wrong?</label>
              <textarea id="comment" name="comment" maxLength={MAX_COMMENT} placeholder="e.g. the mug arrived chipped" />
              <button type="submit">Send to the store</button>
            </Form>
          </>
        ) : (
          <>
            <h1>{`Did ${data.order ? `your order ${data.order}` : "your order"} arrive in good condition?`}</h1>
            <Form method="post" className="choices">
              <button type="submit" name="answer" value="ok">
                Yes, all good
              </button>
              <a className="choice" href="?answer=problem">
                There's a problem
              </a>
            </Form>
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
          <label htmlFor="comment">
            {data.score >= 9 ? "What do you like most?" : data.score >= 7 ? "What would make it a 10?" : "What should we do better?"} (optional)
          </label>
          <textarea id="comment" name="comment" maxLength={MAX_COMMENT} />
          <button type="submit">{`Send my ${data.score}`}</button>
        </Form>
      ) : null}
    </ShopperPage>
  );
}
