// What a capability is to the rest of the app: everything the platform modules run on its
// behalf, named in one place (capabilities.ts lists them). Intake, privacy, dispatch and the
// worker receive that list; nothing plugs itself in by being imported.
import type { WebhookReaction } from "~/modules/intake";
import type { Composer } from "~/modules/messaging/dispatch";
import type { CustomerDataOwner } from "~/modules/privacy";
import type { RewardOwners } from "~/modules/rewards";

/** Work the worker does for a capability every round, outside any request. */
export type Job = {
  /** What the worker's report calls the things it did ("ratings": products whose stars went to Shopify). */
  name: string;
  /**
   * Where in the round it runs: "prepare" before webhook deliveries are applied, "before-dispatch"
   * before due emails go (so an email it schedules goes in the same round), "after-dispatch" last.
   */
  phase: "prepare" | "before-dispatch" | "after-dispatch";
  /** Does what is due by `now` (in one shop only when `scope.shop` is set): `done` is what the report counts, `progress` > 0 asks for another round at once. */
  run(now: Date, scope: { shop?: string }): Promise<{ done: number; progress: number }>;
};

export type Capability = {
  name: string;
  /** Run inside the intake transaction of each delivery of their topics. */
  reactions: readonly WebhookReaction[];
  /** The emails it writes, by the flow id of their messages. */
  composers: Readonly<Record<string, Composer>>;
  /** What the admin calls each of those flows. */
  flows: readonly { id: string; name: string }[];
  /** The customer data it stores: erased on customers/redact, gathered on customers/data_request. */
  privacy: readonly CustomerDataOwner[];
  /** The rewards it records (discount codes, store credit), by the prefix of their sourceKey: told when each is issued or refused. */
  rewards: RewardOwners;
  jobs: readonly Job[];
};

/** Every capability's reward owners, for the rewards module to issue theirs. */
export function rewardOwnersOf(capabilities: readonly Capability[]): RewardOwners {
  return Object.assign({}, ...capabilities.map((capability) => capability.rewards));
}
