// "Remind me in 2, 4 or 8 weeks, or never" from a re-order reminder: one click records the
// choice (signed link, no login) and the page confirms it, with the other choices to change it.
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { ShopperPage } from "~/components/ShopperPage";
import { formatShopTime } from "~/format";
import { now } from "~/modules/clock";
import { findReorderReminder, parseReorderAnswer, recordReorderAnswer } from "~/modules/followups/choices";
import { verifyLink } from "~/modules/messaging/tokens";

export const meta: MetaFunction = () => [{ title: "Your reminder" }, { name: "robots", content: "noindex" }];

const CHOICES = [
  { value: "2", label: "In 2 weeks" },
  { value: "4", label: "In 4 weeks" },
  { value: "8", label: "In 8 weeks" },
  { value: "never", label: "Never for this product" },
];

export const loader = async ({ request, params }: LoaderFunctionArgs) => {
  const at = now();
  const claims = params.token ? verifyLink(params.token, "reorder", at) : null;
  const query = new URL(request.url).searchParams;
  const reminder = claims ? await findReorderReminder(claims.shop, claims.message, query.get("product") ?? "") : null;
  if (!reminder) throw new Response("This link has expired or is not valid.", { status: 404 });
  const page = { store: reminder.storeName, product: reminder.productTitle, productId: reminder.productId };
  const weeks = query.get("weeks");
  // No choice yet (the plain-text email links here): ask.
  if (weeks === null) return { ...page, chosen: null, remindOn: null };
  const answer = parseReorderAnswer(weeks);
  if (!answer) throw new Response("Choose 2, 4 or 8 weeks, or never.", { status: 400 });
  const dueAt = await recordReorderAnswer(reminder, answer, at);
  return { ...page, chosen: String(answer.weeks), remindOn: dueAt ? formatShopTime(dueAt, reminder.timezone, "date") : null };
};

export default function ReorderChoice() {
  const { store, product, productId, chosen, remindOn } = useLoaderData<typeof loader>();
  return (
    <ShopperPage store={store}>
      {chosen === null ? (
        <>
          <h1>{`When should we remind you about ${product}?`}</h1>
          <p>We'll send one short note then, unless you've ordered it again by that time.</p>
        </>
      ) : remindOn ? (
        <>
          <h1>We'll remind you then</h1>
          <p>{`We'll send you a note about ${product} around ${remindOn}. If you order it before then, we won't.`}</p>
        </>
      ) : (
        <>
          <h1>No more reminders for this</h1>
          <p>{`We won't remind you about ${product} again. Everything else from ${store} stays as it was.`}</p>
        </>
      )}
      {chosen === null ? null : <p className="muted">Changed your mind?</p>}
      <div className="choices">
        {CHOICES.filter((choice) => choice.value !== chosen).map((choice) => (
          <a key={choice.value} className="choice" href={`?product=${encodeURIComponent(productId)}&weeks=${choice.value}`}>
            {choice.label}
          </a>
        ))}
      </div>
    </ShopperPage>
  );
}
