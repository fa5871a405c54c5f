// The earliest moment an email may go: the marketing frequency cap, then the shop's send window.
import db from "~/db.server";
import { normalizeEmail } from "./consent";
import type { DueMessage } from "./dispatch";
import type { EmailSettings } from "./settings";
import { DAY, nextSendTime } from "./timing";

export type Slot = { at: Date; reason: string };

/** The slot of one message to `to`, looking up when the address last got a marketing email. */
export async function allowedSlot(message: DueMessage, settings: EmailSettings, zone: string, to: string, now: Date): Promise<Slot> {
  const last =
    message.marketing && settings.frequencyCapDays > 0
      ? await db.message.findFirst({
          where: { shop: message.shop, marketing: true, toAddress: normalizeEmail(to), sentAt: { not: null }, id: { not: message.id } },
          orderBy: { sentAt: "desc" },
          select: { sentAt: true },
        })
      : null;
  return sendSlot(message, settings, zone, last?.sentAt ?? null, now);
}

/** The slot rule itself, given when the address last got a marketing email (other than this one). */
export function sendSlot(message: Pick<DueMessage, "marketing">, settings: EmailSettings, zone: string, lastMarketingSend: Date | null, now: Date): Slot {
  let earliest = now;
  let reason = "outside the send window";
  if (message.marketing && settings.frequencyCapDays > 0 && lastMarketingSend) {
    const capEnds = new Date(lastMarketingSend.getTime() + settings.frequencyCapDays * DAY);
    if (capEnds > earliest) {
      earliest = capEnds;
      reason = `frequency cap: one marketing email per ${settings.frequencyCapDays} days`;
    }
  }
  return { at: nextSendTime(earliest, zone, settings.sendWindow), reason };
}
