// The customer data the inbox holds: the messages of their conversations, both ways. (The
// conversations themselves are erased by the capabilities that open them, with the answer or
// review that did.)
import type { Tx } from "~/db.server";
import type { PrivacyRequest } from "~/modules/intake/payloads";
import type { CustomerDataOwner } from "~/modules/privacy";

export const INBOX_DATA: CustomerDataOwner = {
  name: "conversations",
  async erase(tx: Tx, shop: string, request: PrivacyRequest) {
    if (request.customerId) await tx.caseMessage.deleteMany({ where: { shop, customerId: request.customerId } });
  },
  async gather(tx: Tx, shop: string, request: PrivacyRequest) {
    if (!request.customerId) return [];
    return tx.caseMessage.findMany({
      where: { shop, customerId: request.customerId },
      select: { author: true, body: true, createdAt: true },
      orderBy: { createdAt: "asc" },
    });
  },
};
