import { cron } from "inngest";
import { getInngest } from "@/inngest/client";
import { fromInngestStep, type Steps } from "@/inngest/step";
import { claimDueSlotRound, MAX_CLAIM_ROUNDS } from "@/lib/schedules/claim-due-slots";

// Every minute: claim the schedule slots that are due (atomically, so two instances ticking at
// the same moment claim each slot once) and send one event per slot — round by round, a thousand
// schedules each, so the first slots run while the later ones are still being claimed.
type ClaimRound = (at?: string) => Promise<{ at: string; slotIds: string[]; more: boolean }>;

/** `claimRound` is claimDueSlotRound unless the caller runs slots itself (the in-process driver starts some in the claim). */
export async function scheduleTick({ step, claimRound = claimDueSlotRound }: { step: Steps; claimRound?: ClaimRound }) {
  let at: string | undefined;
  let claimed = 0;
  for (let round = 1; round <= MAX_CLAIM_ROUNDS; round++) {
    const suffix = round === 1 ? "" : `-${round}`;
    const batch = (await step.run(`claim-due-slots${suffix}`, () => claimRound(at))) as { at: string; slotIds: string[]; more: boolean };
    at = batch.at;
    claimed += batch.slotIds.length;
    if (batch.slotIds.length > 0) {
      await step.sendEvent(
        `dispatch-slots${suffix}`,
        batch.slotIds.map((slotId) => ({ name: "schedule/slot.due" as const, data: { slotId } })),
      );
    }
    if (!batch.more) break;
  }
  return { claimed };
}

export const scheduleTickFunction = getInngest().createFunction(
  { id: "schedule-tick", name: "Schedules: tick", triggers: [cron("* * * * *")], concurrency: { limit: 1 } },
  ({ step }) => scheduleTick({ step: fromInngestStep(step) }),
);
