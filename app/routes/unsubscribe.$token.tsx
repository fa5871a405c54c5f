// The unsubscribe link in every follow-up: GET asks to confirm; POST unsubscribes, with no
// login, both from the page's button and from a mail client's RFC 8058 one-click request.
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { ShopperPage } from "~/components/shopper-page";
import { requireSignedLink } from "~/edge/signed-links";
import { now } from "~/modules/clock";
import { findAnsweredMessage } from "~/modules/feedback";
import { recordUnsubscribe } from "~/modules/messaging/consent";

export const meta: MetaFunction = () => [{ title: "Unsubscribe" }, { name: "robots", content: "noindex" }];

const recipient = (token: string | undefined) =>
  requireSignedLink(token, ["unsubscribe"], async (claims) => {
    const message = await findAnsweredMessage(claims.shop, claims.message);
    return message?.toAddress ? { shop: claims.shop, email: message.toAddress, store: message.shopName } : null;
  });

/** "maya.chen@example.com" -> "m•••@example.com": enough to recognise, not enough to harvest. */
const masked = (email: string) => email.replace(/^(.)[^@]*/, "$1•••");

export const loader = async ({ params }: LoaderFunctionArgs) => {
  const who = await recipient(params.token);
  return { store: who.store, email: masked(who.email) };
};

export const action = async ({ request, params }: ActionFunctionArgs) => {
  const who = await recipient(params.token);
  const form = await request.formData();
  const oneClick = form.get("List-Unsubscribe") === "One-Click";
  await recordUnsubscribe(who.shop, who.email, oneClick ? "one-click" : "link", now());
  return { done: true };
};

export default function Unsubscribe() {
  const { store, email } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  return (
    <ShopperPage store={store}>
      {result?.done ? (
        <>
          <h1>You're unsubscribed</h1>
          <p>{`${email} won't get any more follow-up emails from ${store}. Receipts and shipping updates from the store itself still arrive.`}</p>
        </>
      ) : (
        <>
          <h1>{`Unsubscribe from ${store}'s follow-ups?`}</h1>
          <p>{`We'll stop sending thank-you notes, check-ins, review requests and surveys to ${email}.`}</p>
          <Form method="post">
            <button type="submit">Unsubscribe</button>
          </Form>
        </>
      )}
    </ShopperPage>
  );
}
