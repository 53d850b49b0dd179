import { createHash } from "node:crypto";
import { InngestTestEngine } from "@inngest/test";
import { beforeEach, describe, expect, it } from "vitest";
import { scheduleTickFunction } from "@/inngest/functions/schedule-tick";
import { autocommit } from "@/lib/db/transaction";
import { makeSchedule, minuteOf, slotsOf } from "@/lib/schedules/test-kit";

// The tick as Inngest runs it (through @inngest/test): a claim step per round of up to a thousand
// schedules, then one event per slot of the round.
// Step state is keyed by the sha1 of the step id.

const stepKey = (id: string) => createHash("sha1").update(id).digest("hex");

// Sending is Inngest's job (there is no event key here): the send step is mocked, its arguments checked.
const engine = () => new InngestTestEngine({ function: scheduleTickFunction, steps: [{ id: "dispatch-slots", handler: () => ({ ids: [] }) }] });

beforeEach(async () => {
  await autocommit().schedule.deleteMany();
});

describe("schedule-tick (Inngest function)", () => {
  it("claims the due slots in its claim step and sends one schedule/slot.due event per slot", async () => {
    const due = await Promise.all([1, 2, 3].map(() => makeSchedule({ nextRunAt: minuteOf(new Date(Date.now() - 60_000)) })));
    await makeSchedule({ nextRunAt: new Date(Date.now() + 3_600_000) }); // not due

    const { result, ctx, state } = await engine().execute();
    const slotIds = (await Promise.all(due.map((s) => slotsOf(s.id)))).flat().filter((s) => s.status === "pending").map((s) => s.id);
    expect(slotIds.length).toBeGreaterThanOrEqual(3);
    expect(result).toEqual({ claimed: slotIds.length });
    expect(ctx.step.run).toHaveBeenCalledWith("claim-due-slots", expect.any(Function));
    const claimed = (await state[stepKey("claim-due-slots")]) as { slotIds: string[]; more: boolean };
    expect([...claimed.slotIds].sort()).toEqual([...slotIds].sort());
    expect(claimed.more).toBe(false);
    expect(ctx.step.sendEvent).toHaveBeenCalledWith(
      "dispatch-slots",
      expect.arrayContaining(slotIds.map((slotId) => ({ name: "schedule/slot.due", data: { slotId } }))),
    );
  });

  it("sends nothing when nothing is due", async () => {
    await makeSchedule({ nextRunAt: new Date(Date.now() + 3_600_000) });
    const { result, ctx } = await engine().execute();
    expect(result).toEqual({ claimed: 0 });
    expect(ctx.step.sendEvent).not.toHaveBeenCalled();
  });
});
