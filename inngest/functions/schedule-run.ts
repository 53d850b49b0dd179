import { getInngest } from "@/inngest/client";
import { scheduleSlotDue } from "@/inngest/events";
import { fromInngestStep, type Steps } from "@/inngest/step";
import { runScheduleSlot } from "@/lib/schedules/run-slot";

// Runs the pipeline for one claimed slot. runScheduleSlot is idempotent per slot, so Inngest's
// retries (or a re-dispatch after a restart) never run a slot twice.
export async function scheduleRun({ event, step }: { event: { data: { slotId: string } }; step: Steps }) {
  return step.run("run-slot", () => runScheduleSlot(event.data.slotId));
}

export const scheduleRunFunction = getInngest().createFunction(
  { id: "schedule-run", name: "Schedules: run a slot", triggers: [scheduleSlotDue], retries: 3 },
  ({ event, step }) => scheduleRun({ event, step: fromInngestStep(step) }),
);
