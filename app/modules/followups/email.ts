// A follow-up's template (the merchant's, else the default) rendered with its scope into the
// subject, the HTML inside the store's layout, and the plain-text part. The send path and the
// editor's preview both render through here, so the preview is exactly what goes out.
import { formatMoney, formatShopTime } from "~/format";
import { renderEmail, type Brand, type Rendered } from "~/modules/messaging/render";
import type { LinkMaker } from "~/modules/messaging/links";
import type { FlowId } from "./flows";
import type { FlowSettings } from "./settings";
import { DEFAULT_TEMPLATES, REMINDER_TEMPLATES } from "./templates";

type OrderForScope = {
  name: string;
  totalMinor: number;
  currency: string;
  lineItems: { title: string; variantTitle: string | null; quantity: number; priceMinor: number }[];
};

/** `order` as templates see it; `date` is already in the shop's time zone. */
function orderScope(order: OrderForScope, date: string) {
  return {
    name: order.name,
    total: formatMoney(order.totalMinor, order.currency),
    date,
    items: order.lineItems.map((item) => ({
      title: item.title,
      variant: item.variantTitle,
      quantity: item.quantity,
      price: formatMoney(item.priceMinor * item.quantity, order.currency),
    })),
  };
}

/** The links every flow's scope carries (links.*), whatever the flow. */
export function standardLinks(link: LinkMaker) {
  return {
    unsubscribe: link("unsubscribe", "unsubscribe"),
    checkin_ok: link("feedback", "checkin", "?answer=ok"),
    checkin_problem: link("feedback", "checkin", "?answer=problem"),
    survey: link("feedback", "nps"),
    nps: Array.from({ length: 11 }, (_, score) => link("feedback", "nps", `?score=${score}`)),
  };
}

/**
 * Everything a template sees (TEMPLATE_VARIABLES): built the same way for a real send and for
 * the editor's preview, so a variable that works in the preview works in the email.
 */
export function followupScope(parts: {
  customer: { firstName: string | null; lastName: string | null } | null;
  order: OrderForScope & { processedAt: Date };
  timezone: string;
  brand: Brand;
  content: Record<string, unknown>;
  links: ReturnType<typeof standardLinks> & Record<string, unknown>;
}) {
  return {
    customer: { first_name: parts.customer?.firstName ?? "", last_name: parts.customer?.lastName ?? "" },
    order: orderScope(parts.order, formatShopTime(parts.order.processedAt, parts.timezone, "date")),
    shop: { name: parts.brand.name, email: parts.brand.contactEmail ?? "" },
    brand: { color: parts.brand.color },
    ...parts.content,
    links: parts.links,
  };
}

export type RenderedEmail = Rendered;

export async function renderFollowup(
  flow: FlowId,
  chosen: Pick<FlowSettings, "subject" | "body">,
  scope: Record<string, unknown>,
  brand: Brand,
  unsubscribeUrl: string,
  step = 0,
): Promise<RenderedEmail> {
  // A reminder step has its own words; the merchant's edits are to the first message.
  const reminder = step > 0 ? REMINDER_TEMPLATES[flow] : undefined;
  const defaults = reminder ?? DEFAULT_TEMPLATES[flow];
  const own = reminder ? { subject: null, body: null } : chosen;
  const template = { subject: own.subject ?? defaults.subject, body: own.body ?? defaults.body, preheader: defaults.preheader };
  return renderEmail(template, scope, { brand, footer: `You're receiving this because you ordered from ${brand.name}.`, unsubscribeUrl });
}
