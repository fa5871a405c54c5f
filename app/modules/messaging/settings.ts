// What every email the app sends shares, whichever capability writes it: the send window, the
// marketing frequency cap and the store's look. The merchant sets them on the follow-ups pages,
// and they are stored in the `followups` section of Shop.settings; read them through here.
import { readShopSettings } from "~/modules/shops/settings";
import type { Brand } from "./render";

export type EmailSettings = {
  /** Local hours [from, to) in the shop's time zone when emails may be sent. */
  sendWindow: { from: number; to: number };
  /** At most one marketing email per customer per this many days. */
  frequencyCapDays: number;
  brand: { color: string; logoUrl: string | null };
};

const DEFAULT_SEND_WINDOW = { from: 9, to: 20 };
const DEFAULT_FREQUENCY_CAP_DAYS = 3;
const DEFAULT_BRAND_COLOR = "#2c6e49";
export const HEX_COLOR = /^#[0-9a-fA-F]{6}$/;

/** The section of Shop.settings these live in, beside the follow-ups' own choices. */
export function emailSettingsSection(settingsJson: string | null | undefined): Record<string, unknown> {
  const all = readShopSettings(settingsJson);
  return (all.followups && typeof all.followups === "object" ? all.followups : {}) as Record<string, unknown>;
}

export const inRange = (value: unknown, min: number, max: number): value is number =>
  typeof value === "number" && Number.isFinite(value) && value >= min && value <= max;

/** The shop's email settings, defaults filled in and what is out of bounds dropped. */
export function parseEmailSettings(settingsJson: string | null | undefined): EmailSettings {
  const stored = emailSettingsSection(settingsJson);
  const window = (stored.sendWindow ?? {}) as { from?: unknown; to?: unknown };
  const validWindow = inRange(window.from, 0, 23) && inRange(window.to, 1, 24) && window.from < window.to;
  const brand = (stored.brand ?? {}) as { color?: unknown; logoUrl?: unknown };
  return {
    sendWindow: validWindow ? { from: window.from as number, to: window.to as number } : DEFAULT_SEND_WINDOW,
    frequencyCapDays: inRange(stored.frequencyCapDays, 0, 30) ? stored.frequencyCapDays : DEFAULT_FREQUENCY_CAP_DAYS,
    brand: {
      color: typeof brand.color === "string" && HEX_COLOR.test(brand.color) ? brand.color : DEFAULT_BRAND_COLOR,
      logoUrl: typeof brand.logoUrl === "string" && /^https:\/\//.test(brand.logoUrl) ? brand.logoUrl : null,
    },
  };
}

export function brandOf(shop: { shop: string; name: string | null; contactEmail: string | null }, settings: Pick<EmailSettings, "brand">): Brand {
  return { name: shop.name ?? shop.shop, color: settings.brand.color, logoUrl: settings.brand.logoUrl, contactEmail: shop.contactEmail };
}
