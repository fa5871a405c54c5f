// Shop.settings is one JSON document with a section per capability (`followups`, `reviews`, …).
// Each module parses its own section with defaults; these two helpers read the document and
// replace one section without touching the others.
import db, { type Tx } from "~/db.server";

/** All of Shop.settings; unreadable settings read as empty rather than stopping the app. */
export function readShopSettings(settingsJson: string | null | undefined): Record<string, unknown> {
  try {
    const all = JSON.parse(settingsJson ?? "{}") as unknown;
    return all && typeof all === "object" && !Array.isArray(all) ? (all as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

/** Rewrites one section from its current (parsed) value, in one transaction; other sections are kept. */
export async function updateSettingsSection<T>(
  shop: string,
  section: string,
  parse: (settingsJson: string | null | undefined) => T,
  change: (current: T) => T,
): Promise<T> {
  return db.$transaction(async (tx: Tx) => {
    const row = await tx.shop.findUnique({ where: { shop }, select: { settings: true } });
    const next = change(parse(row?.settings));
    await tx.shop.update({ where: { shop }, data: { settings: JSON.stringify({ ...readShopSettings(row?.settings), [section]: next }) } });
    return next;
  });
}
