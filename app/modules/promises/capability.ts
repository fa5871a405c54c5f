// Delivery promises as the capability list knows it: a promise made when an order is paid and
// followed through its fulfillments (the reactions), looked at again at each deadline by the
// worker, the apology and goodwill for a broken one, and the customer data it holds.
import type { Capability } from "~/modules/capability";
import { APOLOGY_FLOWS, composeApology } from "./apology";
import { GOODWILL_OWNER, goodwillOwner } from "./goodwill";
import { PROMISE_DATA } from "./privacy";
import { APOLOGY_FLOW, PROMISE_REACTIONS, watchDuePromises } from "./watch";

export const PROMISES: Capability = {
  name: "promises",
  reactions: PROMISE_REACTIONS,
  composers: { [APOLOGY_FLOW]: composeApology },
  flows: APOLOGY_FLOWS,
  privacy: [PROMISE_DATA],
  rewards: { [GOODWILL_OWNER]: goodwillOwner },
  jobs: [
    {
      name: "promisesWatched",
      // Before dispatch: an apology found due goes out in the same round.
      phase: "before-dispatch",
      run: async (now, scope) => {
        const looked = await watchDuePromises(now, scope);
        return { done: looked, progress: looked };
      },
    },
  ],
};
