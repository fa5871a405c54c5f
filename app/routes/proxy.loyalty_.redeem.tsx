// POST https://<shop>/apps/aftercare/loyalty/redeem (form field reward_id) through Shopify's app
// proxy: the signed-in customer redeems points for a reward. 201 with the redemption and the new
// balance (the code or credit follows from the worker); 409 when the balance is short; 400 for a
// missing or repeated reward_id, 404 for a reward the shop does not offer; 401 unsigned, 403 for
// a guest. The body is capped before and while it is read: one short field.
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { readCappedForm, type FormCaps } from "~/edge/form-body";
import { requireProxyRequest } from "~/edge/proxy";
import { now } from "~/modules/clock";
import { redeem } from "~/modules/loyalty";

const REDEEM_FORM_CAPS: FormCaps = { maxBytes: 4 * 1024, maxParts: 4, maxFieldBytes: 256, maxFiles: 0, maxFileBytes: 0 };

const REFUSALS = {
  short: { status: 409, error: "Not enough points for that reward yet." },
  unknown_reward: { status: 404, error: "That reward is not offered." },
  not_live: { status: 409, error: "The store's rewards program is not running." },
  unknown_customer: { status: 409, error: "Your account is not known to the store's rewards program yet." },
} as const;

export const loader = ({ request }: LoaderFunctionArgs) => {
  requireProxyRequest(request);
  return Response.json({ error: "POST reward_id to redeem" }, { status: 405, headers: { Allow: "POST" } });
};

export const action = async ({ request }: ActionFunctionArgs) => {
  const proxy = requireProxyRequest(request);
  if (request.method !== "POST") return Response.json({ error: "POST reward_id to redeem" }, { status: 405, headers: { Allow: "POST" } });
  if (!proxy.customerId) return Response.json({ error: "Sign in to redeem your points." }, { status: 403 });
  const read = await readCappedForm(request, REDEEM_FORM_CAPS);
  if ("refused" in read) return Response.json({ error: "send reward_id as a form field" }, { status: read.status });
  const ids = read.form.getAll("reward_id");
  if (ids.length !== 1 || typeof ids[0] !== "string" || ids[0] === "") return Response.json({ error: "reward_id is required, once" }, { status: 400 });
  const result = await redeem(proxy.shop, proxy.customerId, ids[0], now());
  if ("refused" in result) {
    const { status, error } = REFUSALS[result.refused];
    return Response.json({ error, reason: result.refused, balance: result.balance }, { status });
  }
  const { balance, ...redemption } = result;
  return Response.json(
    { redemption: { id: redemption.id, reward_id: redemption.rewardId, points: redemption.points, status: redemption.status }, balance },
    { status: 201 },
  );
};
