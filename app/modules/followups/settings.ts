// A shop's follow-up choices, kept under `followups` in Shop.settings (JSON) and always read
// through followupSettings(), which fills in the defaults and drops what is out of bounds.
import db, { type Tx } from "~/db.server";
import { emailSettingsSection, HEX_COLOR, inRange, parseEmailSettings, type EmailSettings } from "~/modules/messaging/settings";
import { updateSettingsSection } from "~/modules/shops/settings";
import { FLOW_IDS, FLOWS, type FlowId } from "./flows";

export type FlowSettings = { enabled: boolean; timing: number; subject: string | null; body: string | null };
/** The flows' own choices, with the settings every email shares (messaging/settings.ts). */
export type FollowupSettings = EmailSettings & {
  flows: Record<FlowId, FlowSettings>;
  /** Product ids the merchant picks for "goes well with" when co-purchases are too few. */
  recommendations: string[];
  /** The picks' titles as the resource picker gave them, so the editor can name them without the Admin API. */
  recommendationTitles: Record<string, string>;
};

export const MAX_RECOMMENDATIONS = 10;

const text = (value: unknown) => (typeof value === "string" && value.trim() !== "" ? value : null);

export function parseFollowupSettings(settingsJson: string | null | undefined): FollowupSettings {
  const stored = emailSettingsSection(settingsJson);
  const storedFlows = (stored.flows ?? {}) as Record<string, Partial<FlowSettings>>;
  const flows = Object.fromEntries(
    FLOW_IDS.map((id) => {
      const mine = storedFlows[id] ?? {};
      const { min, max, default: fallback } = FLOWS[id].timing;
      return [
        id,
        {
          enabled: typeof mine.enabled === "boolean" ? mine.enabled : true,
          timing: inRange(mine.timing, min, max) ? mine.timing : fallback,
          subject: text(mine.subject),
          body: text(mine.body),
        },
      ];
    }),
  ) as Record<FlowId, FlowSettings>;
  const recommendations = Array.isArray(stored.recommendations)
    ? stored.recommendations.filter((id): id is string => typeof id === "string" && /^\d+$/.test(id)).slice(0, MAX_RECOMMENDATIONS)
    : [];
  const titles = (stored.recommendationTitles && typeof stored.recommendationTitles === "object" ? stored.recommendationTitles : {}) as Record<string, unknown>;
  return {
    flows,
    ...parseEmailSettings(settingsJson),
    recommendations,
    recommendationTitles: Object.fromEntries(recommendations.flatMap((id) => (typeof titles[id] === "string" ? [[id, titles[id]]] : []))),
  };
}

export async function followupSettings(client: Tx | typeof db, shop: string): Promise<FollowupSettings> {
  const row = await client.shop.findUnique({ where: { shop }, select: { settings: true } });
  return parseFollowupSettings(row?.settings);
}

/** What the Flows page submits: each flow on/off with its timing, the send window, the cap. */
export type FlowsFormInput = {
  flows: Record<FlowId, { enabled: boolean; timing: number }>;
  sendWindow: { from: number; to: number };
  frequencyCapDays: number;
};

/** What is wrong with a flow's timing (the Flows page and the flow editor share the rule); null when it is fine. */
export function flowTimingError(id: FlowId, timing: unknown): string | null {
  const { min, max, unit } = FLOWS[id].timing;
  return Number.isInteger(timing) && (timing as number) >= min && (timing as number) <= max ? null : `${FLOWS[id].name}: timing must be ${min}–${max} ${unit}.`;
}

/** Every problem with a Flows page submission, in words the merchant can act on; [] when it is valid. */
export function flowsFormErrors(input: FlowsFormInput): string[] {
  const errors: string[] = [];
  for (const id of FLOW_IDS) {
    const error = flowTimingError(id, input.flows?.[id]?.timing);
    if (error) errors.push(error);
  }
  const { from, to } = input.sendWindow ?? {};
  if (!Number.isInteger(from) || !Number.isInteger(to) || from < 0 || to > 24 || from >= to)
    errors.push("The send window must start before it ends, within 0–24 h.");
  if (!Number.isInteger(input.frequencyCapDays) || input.frequencyCapDays < 0 || input.frequencyCapDays > 30)
    errors.push("The frequency cap must be 0–30 days.");
  return errors;
}

/** Saves a valid Flows page submission, keeping the rest (templates, brand). */
export function saveFlowsForm(shop: string, input: FlowsFormInput): Promise<FollowupSettings> {
  return updateFollowupSettings(shop, (current) => ({
    ...current,
    flows: Object.fromEntries(
      FLOW_IDS.map((id) => [id, { ...current.flows[id], enabled: Boolean(input.flows[id].enabled), timing: input.flows[id].timing }]),
    ) as FollowupSettings["flows"],
    sendWindow: input.sendWindow,
    frequencyCapDays: input.frequencyCapDays,
  }));
}

/** One flow as its editor saves it: on/off, timing, and the template (null = the default). */
export type FlowEdit = { enabled: boolean; timing: number; subject: string | null; body: string | null };

export type BrandInput = { color: string; logoUrl: string };

export type BrandProblems = Partial<Record<keyof BrandInput, string>>;

/** Problems with the email look (one for all flows), by field, in the merchant's words; {} when it is valid. */
export function brandErrors(brand: BrandInput): BrandProblems {
  const errors: BrandProblems = {};
  if (typeof brand?.color !== "string" || !HEX_COLOR.test(brand.color)) errors.color = "Use a hex colour such as #2c6e49.";
  const logo = typeof brand?.logoUrl === "string" ? brand.logoUrl.trim() : null;
  if (logo === null || (logo !== "" && !/^https:\/\/\S+$/.test(logo)))
    errors.logoUrl = "Use an https:// image address, or leave it blank to show your store's name.";
  return errors;
}

export type ProductPick = { id: string; title: string };

/** Problems with the merchant's "goes well with" picks: numeric Shopify product ids, at most ten. */
export function recommendationErrors(picks: ProductPick[]): string[] {
  if (!Array.isArray(picks)) return ["The picked products could not be read."];
  if (picks.length > MAX_RECOMMENDATIONS) return [`Pick at most ${MAX_RECOMMENDATIONS} products.`];
  return picks.some((p) => typeof p?.id !== "string" || !/^\d{1,20}$/.test(p.id) || typeof p.title !== "string" || p.title.length > 255)
    ? ["A picked product could not be read: choose it again."]
    : [];
}

/** What the flow editor saves, each part checked first (flowTimingError, templateErrors, brandErrors, recommendationErrors). */
export type FollowupChanges = { flow?: { id: FlowId; edit: FlowEdit }; brand?: BrandInput; picks?: ProductPick[] };

/** Saves one flow's switch, timing and template, the email look and the picks together, keeping the rest. */
export function saveFollowupChanges(shop: string, changes: FollowupChanges): Promise<FollowupSettings> {
  return updateFollowupSettings(shop, (current) => {
    const next = { ...current };
    if (changes.flow) next.flows = { ...current.flows, [changes.flow.id]: { ...changes.flow.edit } };
    if (changes.brand) {
      const logoUrl = changes.brand.logoUrl.trim();
      next.brand = { color: changes.brand.color.toLowerCase(), logoUrl: logoUrl === "" ? null : logoUrl };
    }
    if (changes.picks) {
      const picks = changes.picks.filter((pick, i) => changes.picks!.findIndex((p) => p.id === pick.id) === i);
      next.recommendations = picks.map((p) => p.id);
      next.recommendationTitles = Object.fromEntries(picks.map((p) => [p.id, p.title]));
    }
    return next;
  });
}

/** Merges `change` into the stored follow-up settings; other modules' settings are kept. */
function updateFollowupSettings(shop: string, change: (current: FollowupSettings) => FollowupSettings): Promise<FollowupSettings> {
  return updateSettingsSection(shop, "followups", parseFollowupSettings, change);
}
