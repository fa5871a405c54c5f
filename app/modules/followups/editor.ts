// The flow editor's page data and its save: one flow's switch, timing and template, the email
// look shared by every flow, and the flow's own extras (re-order intervals per product, the
// merchant's "goes well with" picks). A save checks everything first and saves nothing when
// anything is wrong, so the merchant never ends up with half their changes.
import db from "~/db.server";
import { flowCounts } from "~/modules/messaging/activity";
import { mailConfigured } from "~/modules/messaging/mailer";
import { FLOWS, type FlowId } from "./flows";
import { previewFollowup } from "./preview";
import { testSendLog } from "./test-sends";
import { INTERVAL_BOUNDS, intervalErrors, MIN_REBUYERS, replenishmentTable, saveMerchantIntervals } from "./replenishment";
import {
  brandErrors,
  flowTimingError,
  MAX_RECOMMENDATIONS,
  parseFollowupSettings,
  recommendationErrors,
  saveFollowupChanges,
  type BrandInput,
  type BrandProblems,
  type ProductPick,
} from "./settings";
import { DEFAULT_TEMPLATES, variablesFor, type TemplateProblem } from "./templates";

/** The re-order table lists the products ordered most; a long tail of one-off products would bury them. */
const INTERVAL_ROWS = 50;

export async function flowEditorData(shop: string, flow: FlowId, now: Date) {
  const row = await db.shop.findUniqueOrThrow({ where: { shop } });
  const settings = parseFollowupSettings(row.settings);
  const mine = settings.flows[flow];
  const defaults = DEFAULT_TEMPLATES[flow];
  const template = { subject: mine.subject ?? defaults.subject, body: mine.body ?? defaults.body };
  const [counts, preview, tests, intervals, picks] = await Promise.all([
    flowCounts(shop),
    previewFollowup(shop, flow, { draft: template, now }),
    testSendLog(shop, now),
    flow === "reorder" ? replenishmentTable(shop) : null,
    flow === "goes_with" ? namedPicks(shop, settings.recommendations, settings.recommendationTitles) : null,
  ]);
  return {
    flow: FLOWS[flow],
    enabled: mine.enabled,
    timing: mine.timing,
    template,
    defaults: { subject: defaults.subject, body: defaults.body },
    variables: variablesFor(flow),
    brand: { color: settings.brand.color, logoUrl: settings.brand.logoUrl ?? "" },
    counts: counts[flow] ?? { sent: 0, scheduled: 0 },
    contactEmail: row.contactEmail ?? "",
    mailConfigured: mailConfigured(),
    preview,
    tests,
    intervals: intervals && { rows: intervals.slice(0, INTERVAL_ROWS), total: intervals.length, bounds: INTERVAL_BOUNDS, minRebuyers: MIN_REBUYERS },
    picks: picks && { items: picks, max: MAX_RECOMMENDATIONS },
  };
}

/** The picks with a title: as the picker gave it, else as it was last sold, else its id. */
async function namedPicks(shop: string, ids: string[], titles: Record<string, string>): Promise<ProductPick[]> {
  const untitled = ids.filter((id) => !titles[id]);
  const sold = untitled.length
    ? await db.lineItem.findMany({ where: { shop, productId: { in: untitled } }, distinct: ["productId"], select: { productId: true, title: true } })
    : [];
  const soldTitle = new Map(sold.map((line) => [line.productId, line.title]));
  return ids.map((id) => ({ id, title: titles[id] ?? soldTitle.get(id) ?? `Product ${id}` }));
}

/** What the editor saves. `intervals` holds only the re-order days the merchant changed (blank clears one). */
export type FlowEditorInput = {
  enabled: boolean;
  timing: number;
  subject: string;
  body: string;
  brand: BrandInput;
  intervals?: Record<string, string>;
  picks?: ProductPick[];
};

export type FlowEditorErrors = {
  timing?: string;
  template?: TemplateProblem;
  brand?: BrandProblems;
  intervals?: string[];
  picks?: string[];
};

/** Checks the whole submission (the template by rendering it, as a send would); {} when it can be saved. */
export async function flowEditorErrors(shop: string, flow: FlowId, input: FlowEditorInput, now: Date): Promise<FlowEditorErrors> {
  const errors: FlowEditorErrors = {};
  const timing = flowTimingError(flow, input.timing);
  if (timing) errors.timing = timing;
  if (typeof input.enabled !== "boolean") errors.timing = "Say whether the flow is on.";
  const brand = brandErrors(input.brand);
  if (Object.keys(brand).length > 0) errors.brand = brand;
  if (input.intervals !== undefined) {
    const valid =
      flow === "reorder" && input.intervals && typeof input.intervals === "object" && Object.values(input.intervals).every((v) => typeof v === "string");
    const intervals = valid ? intervalErrors(input.intervals!) : ["Re-order intervals belong to the re-order reminder and must be numbers of days."];
    if (intervals.length) errors.intervals = intervals;
  }
  if (input.picks !== undefined) {
    const picks = flow === "goes_with" ? recommendationErrors(input.picks) : ["Product picks belong to “Goes well with”."];
    if (picks.length) errors.picks = picks;
  }
  // Rendered as a send would render it: Liquid that does not parse, fails or costs too much shows then.
  const preview = await previewFollowup(shop, flow, { draft: { subject: input.subject, body: input.body }, brand: input.brand, now });
  if (!preview.ok) errors.template = preview.problem;
  return errors;
}

/** Saves a submission flowEditorErrors accepted. The default template's text is kept as "default", so later improvements reach it. */
export async function saveFlowEditor(shop: string, flow: FlowId, input: FlowEditorInput): Promise<void> {
  const defaults = DEFAULT_TEMPLATES[flow];
  const edit = {
    enabled: input.enabled,
    timing: input.timing,
    subject: input.subject === defaults.subject ? null : input.subject,
    body: input.body === defaults.body ? null : input.body,
  };
  await saveFollowupChanges(shop, { flow: { id: flow, edit }, brand: input.brand, picks: flow === "goes_with" ? input.picks : undefined });
  if (flow === "reorder" && input.intervals) await saveMerchantIntervals(shop, input.intervals);
}
