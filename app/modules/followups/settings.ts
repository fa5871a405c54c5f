// A shop's follow-up choices, kept under `followups` in Shop.settings (JSON) and always read
// through followupSettings(), which fills in the defaults and drops what is out of bounds.
import db, { type Tx } from "~/db.server";
import { FLOW_IDS, FLOWS, type FlowId } from "./flows";

export type FlowSettings = { enabled: boolean; timing: number; subject: string | null; body: string | null };
export type FollowupSettings = {
  flows: Record<FlowId, FlowSettings>;
  /** Local hours [from, to) in the shop's time zone when follow-ups may be sent. */
  sendWindow: { from: number; to: number };
  /** At most one marketing email per customer per this many days. */
  frequencyCapDays: number;
  brand: { color: string; logoUrl: string | null };
  /** Product ids the merchant picks for "goes well with" when co-purchases are too few. */
  recommendations: string[];
};

export const DEFAULT_SEND_WINDOW = { from: 9, to: 20 };
export const DEFAULT_FREQUENCY_CAP_DAYS = 3;
export const DEFAULT_BRAND_COLOR = "#2c6e49";
const MAX_RECOMMENDATIONS = 10;

const inRange = (value: unknown, min: number, max: number): value is number =>
  typeof value === "number" && Number.isFinite(value) && value >= min && value <= max;
const text = (value: unknown) => (typeof value === "string" && value.trim() !== "" ? value : null);

/** All of Shop.settings; unreadable settings read as empty rather than stopping every follow-up. */
function readShopSettings(settingsJson: string | null | undefined): Record<string, unknown> {
  try {
    const all = JSON.parse(settingsJson ?? "{}") as unknown;
    return all && typeof all === "object" ? (all as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

export function parseFollowupSettings(settingsJson: string | null | undefined): FollowupSettings {
  const all = readShopSettings(settingsJson);
  const stored = (all.followups && typeof all.followups === "object" ? all.followups : {}) as Record<string, unknown>;
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
  const window = (stored.sendWindow ?? {}) as { from?: unknown; to?: unknown };
  const validWindow = inRange(window.from, 0, 23) && inRange(window.to, 1, 24) && window.from < window.to;
  const brand = (stored.brand ?? {}) as { color?: unknown; logoUrl?: unknown };
  return {
    flows,
    sendWindow: validWindow ? { from: window.from as number, to: window.to as number } : DEFAULT_SEND_WINDOW,
    frequencyCapDays: inRange(stored.frequencyCapDays, 0, 30) ? stored.frequencyCapDays : DEFAULT_FREQUENCY_CAP_DAYS,
    brand: {
      color: typeof brand.color === "string" && /^#[0-9a-fA-F]{6}$/.test(brand.color) ? brand.color : DEFAULT_BRAND_COLOR,
      logoUrl: typeof brand.logoUrl === "string" && /^https:\/\//.test(brand.logoUrl) ? brand.logoUrl : null,
    },
    recommendations: Array.isArray(stored.recommendations)
      ? stored.recommendations.filter((id): id is string => typeof id === "string" && /^\d+$/.test(id)).slice(0, MAX_RECOMMENDATIONS)
      : [],
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

/** Every problem with a Flows page submission, in words the merchant can act on; [] when it is valid. */
export function flowsFormErrors(input: FlowsFormInput): string[] {
  const errors: string[] = [];
  for (const id of FLOW_IDS) {
    const { min, max, unit } = FLOWS[id].timing;
    const timing = input.flows?.[id]?.timing;
    if (!Number.isInteger(timing) || timing < min || timing > max) errors.push(`${FLOWS[id].name}: timing must be ${min}–${max} ${unit}.`);
  }
  const { from, to } = input.sendWindow ?? {};
  if (!Number.isInteger(from) || !Number.isInteger(to) || from < 0 || to > 24 || from >= to) errors.push("The send window must start before it ends, within 0–24 h.");
  if (!Number.isInteger(input.frequencyCapDays) || input.frequencyCapDays < 0 || input.frequencyCapDays > 30) errors.push("The frequency cap must be 0–30 days.");
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

/** Merges `change` into the stored follow-up settings; other modules' settings are kept. */
async function updateFollowupSettings(shop: string, change: (current: FollowupSettings) => FollowupSettings): Promise<FollowupSettings> {
  return db.$transaction(async (tx) => {
    const row = await tx.shop.findUnique({ where: { shop }, select: { settings: true } });
    const all = readShopSettings(row?.settings);
    const next = change(parseFollowupSettings(row?.settings));
    await tx.shop.update({ where: { shop }, data: { settings: JSON.stringify({ ...all, followups: next }) } });
    return next;
  });
}
