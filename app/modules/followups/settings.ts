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
};

export const DEFAULT_SEND_WINDOW = { from: 9, to: 20 };
export const DEFAULT_FREQUENCY_CAP_DAYS = 3;
export const DEFAULT_BRAND_COLOR = "#2c6e49";

const inRange = (value: unknown, min: number, max: number): value is number =>
  typeof value === "number" && Number.isFinite(value) && value >= min && value <= max;
const text = (value: unknown) => (typeof value === "string" && value.trim() !== "" ? value : null);

export function parseFollowupSettings(settingsJson: string | null | undefined): FollowupSettings {
  let stored: Record<string, unknown> = {};
  try {
    const all = JSON.parse(settingsJson ?? "{}") as Record<string, unknown>;
    if (all.followups && typeof all.followups === "object") stored = all.followups as Record<string, unknown>;
  } catch {
    // Unreadable settings fall back to the defaults rather than stopping every follow-up.
  }
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
  };
}

export async function followupSettings(client: Tx | typeof db, shop: string): Promise<FollowupSettings> {
  const row = await client.shop.findUnique({ where: { shop }, select: { settings: true } });
  return parseFollowupSettings(row?.settings);
}

/** Merges `change` into the stored follow-up settings; other modules' settings are kept. */
export async function updateFollowupSettings(shop: string, change: (current: FollowupSettings) => FollowupSettings): Promise<FollowupSettings> {
  return db.$transaction(async (tx) => {
    const row = await tx.shop.findUnique({ where: { shop }, select: { settings: true } });
    const all = (() => {
      try {
        return JSON.parse(row?.settings ?? "{}") as Record<string, unknown>;
      } catch {
        return {};
      }
    })();
    const next = change(parseFollowupSettings(row?.settings));
    await tx.shop.update({ where: { shop }, data: { settings: JSON.stringify({ ...all, followups: next }) } });
    return next;
  });
}
