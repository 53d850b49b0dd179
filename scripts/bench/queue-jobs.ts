import { getDb } from "@/lib/db/client";
import { newId } from "@/lib/ids";

// Jobs for agents to drain, written straight to the table in batches (how they got there is not
// what the benchmarks that drain them measure).

export const BENCH_JOB = {
  kind: "content.draft",
  input: { brief: "A benchmark job", format: "email", tone: "plain" },
  result: { title: "Done", body: "The benchmark result", notes: "" },
} as const;

export async function queueJobs(count: number): Promise<void> {
  const now = new Date();
  for (let i = 0; i < count; i += 1000) {
    await getDb().agentJob.createMany({
      data: Array.from({ length: Math.min(1000, count - i) }, () => ({
        id: newId("job"),
        kind: BENCH_JOB.kind,
        input: BENCH_JOB.input,
        maxAttempts: 3,
        leaseMs: 300_000,
        maxRuntimeMs: 1_800_000,
        availableAt: now,
      })),
    });
  }
}
