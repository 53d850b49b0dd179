import type { CatchUpPolicyName } from "@/lib/schedules/policies";

// What happens to each due fire time of a schedule when a tick claims it. Pure, so each catch-up
// policy can be tested exactly.
//
// A fire time within GRACE_MS of the tick is on time ("regular") and runs. Older ones were missed
// (the app was down, or no tick ran) and the schedule's catch-up policy decides:
//   skip  every missed slot is recorded as skipped;
//   once  one run for all of them: the latest missed slot runs late, unless an on-time slot is
//         running now anyway, which then stands for them all; the others are recorded as skipped;
//   all   each missed slot runs late, oldest first, up to catchUpLimit (the most recent ones);
//         older ones are recorded as skipped.
// Every slot gets a row, so the history shows what was missed and what the policy did with it.

export const GRACE_MS = 90_000;

export type SlotPlan = {
  slotAt: Date;
  kind: "regular" | "catch_up";
  status: "pending" | "skipped";
  reason: string | null;
};

export type PlanInput = {
  /** Due fire times, oldest first (at most the most recent 100; see `truncatedSince`). */
  fires: Date[];
  /** Set when older missed fire times since this instant were left out of `fires`. */
  truncatedSince: Date | null;
  now: Date;
  catchUp: CatchUpPolicyName;
  catchUpLimit: number;
};

const MISSED = "Missed while the app was down";

export function planSlots({ fires, truncatedSince, now, catchUp, catchUpLimit }: PlanInput): SlotPlan[] {
  const isMissed = (at: Date) => now.getTime() - at.getTime() > GRACE_MS;
  const missed = fires.filter(isMissed);
  const onTime = fires.filter((at) => !isMissed(at));

  const plans: SlotPlan[] = missed.map((slotAt, index) => {
    const newestFirst = missed.length - 1 - index;
    const skipped = (why: string): SlotPlan => ({ slotAt, kind: "catch_up", status: "skipped", reason: `${MISSED}; ${why} (catch-up: ${catchUp})` });
    const late: SlotPlan = { slotAt, kind: "catch_up", status: "pending", reason: `${MISSED}; runs late (catch-up: ${catchUp})` };
    switch (catchUp) {
      case "skip":
        return { slotAt, kind: "catch_up", status: "skipped", reason: `${MISSED} (catch-up: skip)` };
      case "once":
        if (onTime.length > 0) return skipped("the on-time run covers it");
        return newestFirst === 0 ? late : skipped("only the latest missed slot runs");
      case "all":
        return newestFirst < catchUpLimit ? late : skipped(`over the catch-up limit of ${catchUpLimit}`);
    }
  });

  const oldest = plans[0];
  if (oldest && truncatedSince) {
    oldest.reason += `. Earlier missed slots since ${truncatedSince.toISOString()} are not listed`;
  }
  for (const slotAt of onTime) plans.push({ slotAt, kind: "regular", status: "pending", reason: null });
  return plans;
}
