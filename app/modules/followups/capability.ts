// Follow-ups as the capability list knows them: order and fulfillment webhooks schedule them,
// each flow's messages are composed here, and once a day the worker learns how long products last.
import type { Capability } from "~/modules/capability";
import { composeFollowup } from "./compose";
import { FLOW_IDS, FLOWS } from "./flows";
import { FOLLOWUP_DATA } from "./index";
import { learnDueIntervals } from "./replenishment";
import { FOLLOWUP_REACTIONS } from "./schedule";

export const FOLLOWUPS: Capability = {
  name: "followups",
  reactions: FOLLOWUP_REACTIONS,
  composers: Object.fromEntries(FLOW_IDS.map((id) => [id, composeFollowup])),
  flows: FLOW_IDS.map((id) => ({ id, name: FLOWS[id].name })),
  privacy: [FOLLOWUP_DATA],
  rewards: {},
  jobs: [
    {
      // A daily chore, not progress: it never asks for another round.
      name: "learnedShops",
      phase: "prepare",
      run: async (now, { shop }) => ({ done: await learnDueIntervals(now, { shop }), progress: 0 }),
    },
  ],
};
