// The follow-up flows: what each is for, whether it is marketing (consent required), and the
// timing a merchant starts with. Templates live in templates.ts, per-shop choices in settings.ts.
import { DAY, HOUR } from "~/modules/messaging/timing";

export const FLOW_IDS = ["thank_you", "delivery_checkin", "review_request", "nps", "reorder", "goes_with", "after_return"] as const;
export type FlowId = (typeof FLOW_IDS)[number];

export type FlowDefinition = {
  id: FlowId;
  name: string;
  purpose: string;
  /** Marketing messages go only to customers who accepted email marketing. */
  marketing: boolean;
  /** The merchant's timing knob: what it means, its unit, default and bounds. */
  timing: { label: string; unit: "hours" | "days"; default: number; min: number; max: number };
  /** Past its moment (the worker was down, the order arrived late): not sent this many days after it was due. */
  staleAfterDays: number;
};

export const FLOWS: Record<FlowId, FlowDefinition> = {
  thank_you: {
    id: "thank_you",
    name: "Thank-you",
    purpose: "A personal thank-you from the store with the order summary, soon after payment.",
    marketing: false,
    timing: { label: "Hours after payment", unit: "hours", default: 1, min: 0, max: 72 },
    staleAfterDays: 2,
  },
  delivery_checkin: {
    id: "delivery_checkin",
    name: "Delivery check-in",
    purpose: "“Did it arrive in good condition?” when the carrier reports delivery; a problem opens a case.",
    marketing: false,
    timing: { label: "Days after shipping, when the carrier never reports delivery", unit: "days", default: 5, min: 1, max: 30 },
    staleAfterDays: 7,
  },
  review_request: {
    id: "review_request",
    name: "Review request",
    purpose: "Up to three items of the order, each with one-click stars.",
    marketing: false,
    timing: { label: "Days after delivery (or shipping, without a delivery event)", unit: "days", default: 7, min: 0, max: 60 },
    staleAfterDays: 30,
  },
  nps: {
    id: "nps",
    name: "NPS survey",
    purpose: "How likely are you to recommend us? 0–10 in one click, then an optional comment.",
    marketing: false,
    timing: { label: "Days after delivery (or shipping, without a delivery event)", unit: "days", default: 14, min: 1, max: 90 },
    staleAfterDays: 14,
  },
  reorder: {
    id: "reorder",
    name: "Re-order reminder",
    purpose: "Before a product runs out (your interval per product, or the one learned from your orders), with a cart ready to check out.",
    marketing: true,
    timing: { label: "Days before the expected run-out", unit: "days", default: 3, min: 0, max: 14 },
    staleAfterDays: 14,
  },
  goes_with: {
    id: "goes_with",
    name: "Goes well with",
    purpose: "What other customers bought together with their order, never what they already own.",
    marketing: true,
    timing: { label: "Days after delivery (or shipping, without a delivery event)", unit: "days", default: 10, min: 1, max: 60 },
    staleAfterDays: 14,
  },
  after_return: {
    id: "after_return",
    name: "After a return",
    purpose: "In-stock alternatives to a returned product: the same type or from the same maker.",
    marketing: true,
    timing: { label: "Days after the return is refunded", unit: "days", default: 2, min: 0, max: 30 },
    staleAfterDays: 7,
  },
};

export function isFlowId(value: string): value is FlowId {
  return (FLOW_IDS as readonly string[]).includes(value);
}

/** The flow's delay in milliseconds for a timing value in its own unit. */
export function delayMs(flow: FlowId, value: number): number {
  return value * (FLOWS[flow].timing.unit === "hours" ? HOUR : DAY);
}
