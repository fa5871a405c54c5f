// POST https://<shop>/apps/aftercare/loyalty/birthday (form fields month, day) through Shopify's
// app proxy: the signed-in member gives their birthday, once, for the birthday bonus. 201 when
// kept; 409 when one was given before or the program is off; 400 for a missing, repeated or
// impossible date; 401 unsigned, 403 for a guest, 413 for a body over 1 KB.
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { readCappedForm, type FormCaps } from "~/edge/form-body";
import { requireProxyRequest } from "~/edge/proxy";
import { now } from "~/modules/clock";
import { giveBirthday } from "~/modules/loyalty";

const BIRTHDAY_FORM_CAPS: FormCaps = { maxBytes: 1024, maxParts: 4, maxFieldBytes: 16, maxFiles: 0, maxFileBytes: 0 };
const POST_ONLY = { error: "POST month and day" };

const REFUSALS = {
  invalid: { status: 400, error: "That is not a date: send month (1–12) and day." },
  already_given: { status: 409, error: "Your birthday is already saved." },
  not_live: { status: 409, error: "The store's rewards program is not running." },
} as const;

export const loader = ({ request }: LoaderFunctionArgs) => {
  requireProxyRequest(request);
  return Response.json(POST_ONLY, { status: 405, headers: { Allow: "POST" } });
};

export const action = async ({ request }: ActionFunctionArgs) => {
  const proxy = requireProxyRequest(request);
  if (request.method !== "POST") return Response.json(POST_ONLY, { status: 405, headers: { Allow: "POST" } });
  if (!proxy.customerId) return Response.json({ error: "Sign in to save your birthday." }, { status: 403 });
  const read = await readCappedForm(request, BIRTHDAY_FORM_CAPS);
  if ("refused" in read) return Response.json({ error: "send month and day as form fields" }, { status: read.status });
  const [months, days] = [read.form.getAll("month"), read.form.getAll("day")];
  if (months.length !== 1 || days.length !== 1) return Response.json(REFUSALS.invalid, { status: 400 });
  const result = await giveBirthday(proxy.shop, proxy.customerId, months[0], days[0], now());
  if (!result.saved) return Response.json({ error: REFUSALS[result.reason].error, reason: result.reason }, { status: REFUSALS[result.reason].status });
  return Response.json({ birthday: { month: Number(months[0]), day: Number(days[0]) } }, { status: 201 });
};
