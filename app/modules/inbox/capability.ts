// The inbox as the capability list knows it: the store's replies and gifts by email, the gifts
// issued in Shopify, and the messages of each conversation as customer data.
import type { Capability } from "~/modules/capability";
import { composeCaseReply, INBOX_EMAIL_FLOWS } from "./email";
import { composeConversationGift, GIFT_FLOW, GIFT_OWNER, giftOwner } from "./gift";
import { INBOX_DATA } from "./privacy";
import { CASE_REPLY_FLOW } from "./threads";

export const INBOX: Capability = {
  name: "inbox",
  reactions: [],
  composers: { [CASE_REPLY_FLOW]: composeCaseReply, [GIFT_FLOW]: composeConversationGift },
  flows: INBOX_EMAIL_FLOWS,
  privacy: [INBOX_DATA],
  rewards: { [GIFT_OWNER]: giftOwner },
  jobs: [],
};
