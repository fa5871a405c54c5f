// The templates a merchant starts from: Liquid, with the variables and email tags documented
// in TEMPLATE_VARIABLES (shown beside the editor). Written to sound like the store, not a robot.
import type { TemplateError } from "~/modules/messaging/render";
import type { FlowId } from "./flows";

export type FlowTemplate = { subject: string; body: string; preheader: string };

/** The next-order offer, when the shop makes one in this email (see loyalty's next-order offer). */
const NEXT_ORDER_OFFER = `{% if offer.code %}<p>As a thank-you, here is <strong>{{ offer.worth }} off your next order</strong> with the code <strong style="font-family:Menlo,Consolas,monospace;letter-spacing:1px">{{ offer.code }}</strong>{% if offer.expires != "" %}, until {{ offer.expires }}{% endif %}. It is yours alone.</p>
{% button offer.link %}Use my code{% endbutton %}
{% endif %}`;

export const DEFAULT_TEMPLATES: Record<FlowId, FlowTemplate> = {
  thank_you: {
    subject: "Thank you for your order, {{ customer.first_name | default: 'friend' }}",
    preheader: "Your order {{ order.name }} is in good hands.",
    body: `<p>Hi {{ customer.first_name | default: "there" }},</p>
<p>Thank you for ordering from {{ shop.name }}. A real person here is getting {{ order.name }} ready, and we'll let you know the moment it ships.</p>
{% order_summary %}
<p>If anything about your order isn't right, just reply to this email. It comes straight to us.</p>
${NEXT_ORDER_OFFER}<p>Warmly,<br>The {{ shop.name }} team</p>`,
  },
  delivery_checkin: {
    subject: "Did your order arrive safely?",
    preheader: "One click tells us everything is fine, or that something isn't.",
    body: `<p>Hi {{ customer.first_name | default: "there" }},</p>
<p>Your order {{ order.name }} should be with you by now. Did it arrive in good condition?</p>
{% button links.checkin_ok %}Yes, all good{% endbutton %}
{% button links.checkin_problem %}There's a problem{% endbutton %}
<p>If something is damaged or missing, tell us and we'll put it right.</p>
<p>The {{ shop.name }} team</p>`,
  },
  review_request: {
    subject: "How are you finding your {{ review_items[0].title }}?",
    preheader: "One click on the stars is all it takes.",
    body: `<p>Hi {{ customer.first_name | default: "there" }},</p>
<p>You've had your order for a little while now. Would you tell other customers what you think? Tap the stars to start your review:</p>
{% review_items %}
<p>Honest reviews, good or bad, help us and everyone who shops with us. Thank you!</p>
<p>The {{ shop.name }} team</p>`,
  },
  nps: {
    subject: "One quick question from {{ shop.name }}",
    preheader: "How likely are you to recommend us? One click.",
    body: `<p>Hi {{ customer.first_name | default: "there" }},</p>
<p>How likely are you to recommend {{ shop.name }} to a friend?</p>
{% nps_scale %}
<p>After you click, you can tell us why. We read every answer.</p>
<p>The {{ shop.name }} team</p>`,
  },
  reorder: {
    subject: "Running low, {{ customer.first_name | default: 'friend' }}?",
    preheader: "Your last order is one click away, whenever you're ready.",
    body: `<p>Hi {{ customer.first_name | default: "there" }},</p>
<p>It's been about {{ reorder.weeks_since }} weeks since your order {{ order.name }}, so you may be getting close to the end of these:</p>
{% reorder_items %}
{% button links.reorder_cart %}Order them again{% endbutton %}
<p>Not running low yet? Pick a better time under each item and we'll remind you then, or not at all.</p>
<p>The {{ shop.name }} team</p>`,
  },
  goes_with: {
    subject: "Made for what you bought at {{ shop.name }}",
    preheader: "What other customers paired with their order.",
    body: `<p>Hi {{ customer.first_name | default: "there" }},</p>
<p>We hope you're enjoying your order. Customers who bought the same things often pair them with these:</p>
{% product_cards %}
${NEXT_ORDER_OFFER}<p>No pressure at all. If you have a question about any of them, just reply.</p>
<p>The {{ shop.name }} team</p>`,
  },
  after_return: {
    subject: "Something else instead of your {{ returned.title }}?",
    preheader: "A few alternatives, in stock now.",
    body: `<p>Hi {{ customer.first_name | default: "there" }},</p>
<p>We're sorry the {{ returned.title }} didn't work out, and your return is all taken care of. If you'd still like something similar, these are in stock right now:</p>
{% product_cards %}
<p>Not sure which would suit you better? Reply and tell us what didn't work; we're happy to help you choose.</p>
<p>The {{ shop.name }} team</p>`,
  },
};

/** The follow-up step of a flow (step 1), where there is one: the review reminder 5 days on. */
export const REMINDER_TEMPLATES: Partial<Record<FlowId, FlowTemplate>> = {
  review_request: {
    subject: "Still happy with your {{ review_items[0].title }}?",
    preheader: "A few words from you help the next customer choose.",
    body: `<p>Hi {{ customer.first_name | default: "there" }},</p>
<p>A few days ago we asked what you think of your order. If you have a minute, a star rating and a line or two would mean a lot to us:</p>
{% review_items %}
<p>This is the last time we'll ask about this order. Thank you!</p>
<p>The {{ shop.name }} team</p>`,
  },
};

/** What a template can use, for the editor's reference panel; `flows` limits an entry to the flows that fill it. */
export const TEMPLATE_VARIABLES: { name: string; meaning: string; flows?: FlowId[] }[] = [
  { name: "customer.first_name, customer.last_name", meaning: "the customer's name as the store holds it" },
  { name: "order.name, order.total, order.date", meaning: "e.g. #1001, $46.50, Nov 22, 2026" },
  { name: "order.items", meaning: "each with title, variant, quantity and price" },
  { name: "shop.name, shop.email", meaning: "your store's name and contact email" },
  { name: "review_items", meaning: "up to three items, highest-priced first (title, variant)", flows: ["review_request"] },
  { name: "reorder_items, reorder.weeks_since, links.reorder_cart", meaning: "the items running low, weeks since the order, a ready cart", flows: ["reorder"] },
  { name: "products", meaning: "up to three products (title, url, image, price)", flows: ["goes_with", "after_return"] },
  { name: "returned.title", meaning: "the product that was sent back", flows: ["after_return"] },
  {
    name: "offer.code, offer.worth, offer.expires, offer.link",
    meaning: "the next-order code, when the loyalty settings place it in this email (empty otherwise)",
    flows: ["thank_you", "goes_with"],
  },
  { name: "links.checkin_ok, links.checkin_problem", meaning: "one-click answers to the check-in", flows: ["delivery_checkin"] },
  { name: "links.survey", meaning: "the survey page", flows: ["nps"] },
  { name: "links.unsubscribe", meaning: "the customer's unsubscribe link (also in every footer)" },
  { name: "{% order_summary %}", meaning: "the order's items and total" },
  { name: "{% button url %}Label{% endbutton %}", meaning: "a button in your brand colour" },
  { name: "{% review_items %}", meaning: "each item with one-click stars", flows: ["review_request"] },
  { name: "{% nps_scale %}", meaning: "the 0–10 scale, one click per score", flows: ["nps"] },
  { name: "{% reorder_items %}", meaning: "each item with 'remind me in 2, 4, 8 weeks or never'", flows: ["reorder"] },
  { name: "{% product_cards %}", meaning: "product cards with picture, title and price", flows: ["goes_with", "after_return"] },
];

export function variablesFor(flow: FlowId) {
  return TEMPLATE_VARIABLES.filter((v) => !v.flows || v.flows.includes(flow)).map(({ name, meaning }) => ({ name, meaning }));
}

export type TemplateField = "subject" | "body";
/** A template the merchant must fix: which field, the line (when Liquid knows it) and what is wrong. */
export type TemplateProblem = { field: TemplateField; line: number | null; message: string };

export const TEMPLATE_LIMITS: Record<TemplateField, number> = { subject: 250, body: 20_000 };

/** A Liquid parse or render error as the editor shows it: "Line 3: tag "iff" not found". */
export function templateProblem(error: TemplateError): TemplateProblem {
  return { field: error.part === "subject" ? "subject" : "body", line: error.line, message: error.message };
}

/** What keeps a draft from even being rendered: blank or overlong fields. (Liquid that does not parse shows when it renders.) */
export function templateErrors(draft: { subject: unknown; body: unknown }): TemplateProblem[] {
  const problems: TemplateProblem[] = [];
  for (const field of ["subject", "body"] as const) {
    const source = draft[field];
    if (typeof source !== "string" || source.trim() === "") {
      problems.push({ field, line: null, message: `Write a ${field}, or reset the template to the default.` });
    } else if (source.length > TEMPLATE_LIMITS[field]) {
      problems.push({ field, line: null, message: `The ${field} is too long: at most ${TEMPLATE_LIMITS[field].toLocaleString("en")} characters.` });
    }
  }
  return problems;
}
