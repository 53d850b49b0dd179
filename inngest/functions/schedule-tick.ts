import { cron } from "inngest";
import { getInngest } from "@/inngest/client";
import { fromInngestStep, type Steps } from "@/inngest/step";
import { claimDueSlots } from "@/lib/schedules/claim-due-slots";

// Every minute: claim the schedule slots that are due (atomically, so two instances ticking at
// the same moment claim each slot once) and send one event per slot.
export async function scheduleTick({ step }: { step: Steps }) {
  const slots = (await step.run("claim-due-slots", () => claimDueSlots())) as { slotId: string }[];
  if (slots.length > 0) {
    await step.sendEvent(
      "dispatch-slots",
      slots.map((s) => ({ name: "schedule/slot.due" as const, data: { slotId: s.slotId } })),
    );
  }
  return { claimed: slots.length };
}

export const scheduleTickFunction = getInngest().createFunction(
  { id: "schedule-tick", name: "Schedules: tick", triggers: [cron("* * * * *")], concurrency: { limit: 1 } },
  ({ step }) => scheduleTick({ step: fromInngestStep(step) }),
);
