// The shop record: who installed us, in which currency and time zone, and whether we are
// still installed.
import db, { type Tx } from "~/db.server";

export type ShopProfile = {
  name: string;
  contactEmail: string | null;
  currency: string;
  timezone: string;
  /** The shop's own country: "home" for delivery promises. */
  country: string | null;
};

export async function recordInstall(shop: string, profile: ShopProfile, now: Date): Promise<void> {
  await db.shop.upsert({
    where: { shop },
    create: { shop, ...profile, installedAt: now },
    update: { ...profile, installedAt: now, uninstalledAt: null },
  });
}

/** app/uninstalled: forget the access tokens and mark the shop; pending work checks this mark. */
export async function recordUninstall(tx: Tx, shop: string, now: Date): Promise<void> {
  await tx.session.deleteMany({ where: { shop } });
  await tx.shop.upsert({ where: { shop }, create: { shop, uninstalledAt: now }, update: { uninstalledAt: now } });
}

/** Installed: the shop has a session, or a record not marked uninstalled (sessions go on uninstall). */
export async function isInstalled(tx: Tx, shop: string): Promise<boolean> {
  if ((await tx.session.count({ where: { shop } })) > 0) return true;
  const record = await tx.shop.findUnique({ where: { shop }, select: { uninstalledAt: true } });
  return record !== null && record.uninstalledAt === null;
}

export async function getShop(shop: string) {
  return db.shop.findUnique({ where: { shop } });
}
