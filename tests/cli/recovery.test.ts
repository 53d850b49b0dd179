import { beforeEach, describe, expect, it, vi } from "vitest";
import { autocommit } from "@/lib/db/transaction";
import { makeSource, receive, subscribe } from "@/lib/events/test-kit";
import { failInterruptedRuns } from "@/lib/pipelines/recover-runs";
import { createSchedule } from "@/lib/schedules/save-schedule";
import { systemEcho } from "@/pipelines/system-echo";
import { cli } from "./run-cli";

// Every command that runs pipelines in the CLI's process registers it while they run: a running
// app's recovery (which closes runs of processes that stopped heartbeating) must leave them alone.

vi.mock("@/inngest/dispatch", () => ({ dispatchBackground: async () => {} }));

/** While system.echo runs, the app's recovery sweeps; returns the runs it closed. */
function sweepDuringRun(): { closed: string[]; runIds: string[] } {
  const seen = { closed: [] as string[], runIds: [] as string[] };
  const run = systemEcho.run.bind(systemEcho);
  vi.spyOn(systemEcho, "run").mockImplementation(async (input, ctx) => {
    seen.runIds.push(ctx.runId);
    seen.closed.push(...(await failInterruptedRuns()));
    return run(input, ctx);
  });
  return seen;
}

async function statusOf(runId: string) {
  return (await autocommit().pipelineRun.findUniqueOrThrow({ where: { id: runId } })).status;
}

describe("CLI commands that run pipelines, and recovery", () => {
  beforeEach(async () => {
    vi.restoreAllMocks();
    // No instance left registered by an earlier command: each must register on its own.
    await autocommit().appInstance.deleteMany();
  });

  it("pipelines run", async () => {
    const seen = sweepDuringRun();
    const answer = await cli(["pipelines", "run", "system.echo", "--input", '{"message":"here"}']);
    expect(answer.code).toBe(0);
    expect(seen.runIds).toHaveLength(1);
    expect(seen.closed).not.toContain(seen.runIds[0]);
    expect(await statusOf(seen.runIds[0]!)).toBe("succeeded");
  });

  it("schedules run", async () => {
    await createSchedule({ name: "recovery-cli", cron: "0 9 * * 1-5", timezone: "UTC", pipeline: "system.echo", enabled: false }, "test");
    const seen = sweepDuringRun();
    const answer = await cli(["schedules", "run", "recovery-cli"]);
    expect(answer.code, answer.err).toBe(0);
    expect(seen.runIds).toHaveLength(1);
    expect(seen.closed).not.toContain(seen.runIds[0]);
    expect(await statusOf(seen.runIds[0]!)).toBe("succeeded");
  });

  it("webhooks retry", async () => {
    const source = await makeSource("recovery-cli");
    await subscribe("recovery-cli", "*", "system.echo", { message: "$.message" });
    // Received but never dispatched (the background hand-off is a no-op here): a stuck event.
    const received = await receive("recovery-cli", { secret: source.secret });
    const eventId = (received.body as { eventId: string }).eventId;
    const seen = sweepDuringRun();
    const answer = await cli(["webhooks", "retry", eventId]);
    expect(answer.out, answer.err).toBe(`${eventId} is processed: 1 pipeline succeeded.`);
    expect(seen.runIds).toHaveLength(1);
    expect(seen.closed).not.toContain(seen.runIds[0]);
    expect(await statusOf(seen.runIds[0]!)).toBe("succeeded");
  });
});
