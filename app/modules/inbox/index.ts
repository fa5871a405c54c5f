// The inbox: conversations with customers, answered from the admin and by the customer from a signed link.
export { giveConversationGift, type GiftResult } from "./gift";
export { customerHistory } from "./history";
export {
  answerConversation,
  conversationOfEmail,
  countOpenConversations,
  findConversation,
  listConversations,
  readMessageBody,
  replyToConversation,
  setConversationStatus,
  startConversation,
} from "./threads";
