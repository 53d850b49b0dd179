// One app instance for `npm run bench:schedules` (started by scripts/bench/schedules.ts, one process
// per instance, so two instances share nothing but the database): it registers as an app instance,
// warms up, says "ready", ticks the in-process driver at the given slot time (50 ms into it, as the
// driver's minute ticker does) and drains it. Meanwhile it times a small read through its own
// database pool every 25 ms, as a request to this process would make it. It prints one JSON line.
import { parseArgs } from "node:util";
import { drain, tick } from "@/inngest/in-process-driver";
import { autocommit } from "@/lib/db/transaction";
import { currentInstanceId, startInstanceHeartbeat, stopInstanceHeartbeat } from "@/lib/instances";
import { runPipeline } from "@/lib/pipelines/run-pipeline";
import { summarize } from "./measure";

const { values: args } = parseArgs({ options: { at: { type: "string" } } });
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function main(): Promise<void> {
  const slotAt = Number(args.at);
  if (!Number.isFinite(slotAt)) throw new Error("--at <epoch ms> is required");
  await startInstanceHeartbeat();
  // A long-running app is warm: one run through the runner, and the probe's query, before the slot.
  await runPipeline({ name: "system.echo", input: { message: "warm-up" }, trigger: "cli", actor: { type: "system", label: "bench warm-up" }, waitMs: 5_000 });
  const probe = () => autocommit().schedule.findFirst({ where: { name: "bench-00000" }, select: { id: true, lastRunStatus: true } });
  await probe();

  let peakRss = process.memoryUsage().rss;
  const before = process.memoryUsage();
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 100);
  process.stdout.write("ready\n");

  await sleep(Math.max(0, slotAt + 50 - Date.now()));
  const tickedAt = Date.now();
  let probing = true;
  const probeMs: number[] = [];
  const prober = (async () => {
    while (probing) {
      const started = performance.now();
      await probe();
      probeMs.push(performance.now() - started);
      await sleep(25);
    }
  })();

  await tick();
  const tickMs = Date.now() - tickedAt;
  await drain(10 * 60_000);
  const drainedMs = Date.now() - tickedAt;
  probing = false;
  await prober;
  clearInterval(sampler);
  stopInstanceHeartbeat();
  const after = process.memoryUsage();
  process.stdout.write(
    `${JSON.stringify({
      instance: currentInstanceId(),
      tickMs,
      drainedMs,
      rssBefore: before.rss,
      rssPeak: Math.max(peakRss, after.rss),
      rssAfter: after.rss,
      probe: summarize(probeMs),
    })}\n`,
  );
  process.exit(0);
}

main().catch((error) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : error);
  process.exit(1);
});
