// The signed links an email carries, and how long each kind stays good. Every email the app
// composes makes its links here.
import { appUrl } from "~/modules/app-url";
import { DAY } from "./timing";
import { signLink, type LinkPurpose } from "./tokens";

const LINK_LIFETIME: Record<LinkPurpose, number> = {
  unsubscribe: 5 * 365 * DAY,
  checkin: 60 * DAY,
  nps: 60 * DAY,
  review: 180 * DAY,
  reorder: 180 * DAY,
  answer: 60 * DAY,
  conversation: 180 * DAY,
};

/** Makes the link a template shows for `path`; the send path signs one, the preview makes it inert. */
export type LinkMaker = (path: string, purpose: LinkPurpose, query?: string) => string;

/** Signs the links of one message. */
export function linkMaker(shop: string, message: string, now: Date): LinkMaker {
  return (path, purpose, query = "") => {
    const token = signLink({ shop, message, purpose, expires: now.getTime() + LINK_LIFETIME[purpose] });
    return `${appUrl()}/${path}/${token}${query}`;
  };
}
