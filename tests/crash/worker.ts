import { drain, enqueue } from "@/inngest/in-process-driver";
import type { AgentPrincipal } from "@/lib/agents/principal";
import { autocommit } from "@/lib/db/transaction";
import { findEventsToRedispatch } from "@/lib/events/pending-events";
import { claimJobs } from "@/lib/jobs/claim-jobs";
import { completeJob } from "@/lib/jobs/complete-job";
import { pendingResultHandlers, startMissingResultHandlers } from "@/lib/jobs/result-handler";
import { activeRunCount } from "@/lib/pipelines/runner";
import { findSlotsToRedispatch } from "@/lib/schedules/pending-slots";
import { startBackgroundServices } from "@/lib/startup";

// The app process the crash test kills (tests/crash/crash.test.ts): what `npm start` does at
// start (register, forget dead instances on this host, close their runs as interrupted), then the
// in-process driver's own work on the test's database — webhook dispatch, schedule slots, result
// handlers — and an agent that claims research jobs and completes them, until nothing is left.
// It exits 0 when drained; PA_CRASH_AT (or the test's SIGKILL) ends it earlier.
//
// The sweeps take work of any age: the app waits a minute before it treats a persisted event or
// slot as lost (its own request may still be handling it), and this process knows that every
// earlier one is dead.

const CRASH_AGENT: AgentPrincipal = { agentId: "agt_crash", agentName: "crash", tokenId: "tok_crash", jobKinds: ["research.brief"], pipelines: [] };

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function resultFor(topic: string) {
  return { summary: `About ${topic}`, findings: [{ claim: `${topic} is real`, source: "https://example.com/source" }], confidence: "medium" as const };
}

/** The agent outlives the app in real life: it still holds its leases, so it completes those first. */
async function completeHeldJobs(): Promise<number> {
  const held = await autocommit().agentJob.findMany({
    where: { status: "claimed", claimedByAgent: CRASH_AGENT.agentId },
    select: { id: true, leaseId: true, input: true },
  });
  const claimed = await claimJobs(CRASH_AGENT, { limit: 10 });
  const all = [...held.map((j) => ({ id: j.id, leaseId: j.leaseId!, input: j.input })), ...claimed.map((j) => ({ id: j.jobId, leaseId: j.leaseId, input: j.input }))];
  for (const job of all) await completeJob(CRASH_AGENT, job.id, job.leaseId, resultFor((job.input as { topic: string }).topic));
  return all.length;
}

async function remainingWork(): Promise<number> {
  const db = autocommit();
  const [events, slots, jobs, runs] = await Promise.all([
    // Failed ones too: the driver retries a failed dispatch after a second (a crash test must not
    // stop while a retry is pending).
    db.webhookEvent.count({ where: { status: { in: ["received", "dispatched", "failed"] } } }),
    db.scheduleSlot.count({ where: { status: { in: ["pending", "running"] } } }),
    db.agentJob.count({ where: { OR: [{ status: { in: ["queued", "claimed"] } }, { status: "succeeded", resultRunId: null }] } }),
    db.pipelineRun.count({ where: { status: { in: ["queued", "running"] } } }),
  ]);
  return events + slots + jobs + runs;
}

async function main(): Promise<void> {
  await startBackgroundServices();
  process.stdout.write("ready\n");
  for (let round = 0; ; round++) {
    const [slots, events] = await Promise.all([findSlotsToRedispatch(0), findEventsToRedispatch(0)]);
    enqueue([
      ...slots.map((s) => ({ name: "schedule/slot.due" as const, data: { slotId: s.slotId } })),
      ...events.map((e) => ({ name: "webhook/event.received" as const, data: { eventId: e.eventId } })),
    ]);
    await drain(60_000);
    await completeHeldJobs();
    await startMissingResultHandlers(0);
    while (activeRunCount() > 0 || pendingResultHandlers() > 0) await sleep(20);
    if ((await remainingWork()) === 0) break;
    await sleep(50);
  }
  process.stdout.write("drained\n");
  process.exit(0);
}

await main();
