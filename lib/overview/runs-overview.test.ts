import { describe, expect, it } from "vitest";
import { autocommit } from "@/lib/db/transaction";
import { newId } from "@/lib/ids";
import { fillRunsPerDay, getPipelineRunStats, getRunsOverview } from "@/lib/overview/runs-overview";
import { finishRun, insertRun, type NewRun } from "@/lib/pipelines/runs.repository";

// Against the file's own PostgreSQL, with runs recorded through the runs repository.

function run(pipeline: string, queuedAt: Date, status: NewRun["status"] = "running") {
  return insertRun(autocommit(), {
    id: newId("run"),
    pipeline,
    status,
    trigger: "api",
    input: {},
    actorType: "system",
    actorId: null,
    actorLabel: "test",
    tokenId: null,
    requestId: null,
    idempotencyKey: null,
    idempotencyScope: null,
    parentRunId: null,
    instanceId: null,
    timeoutMs: 1000,
    startedAt: null,
  }).then(async (row) => {
    await autocommit().pipelineRun.update({ where: { id: row.id }, data: { queuedAt } });
    return row.id;
  });
}

async function close(id: string, status: "succeeded" | "failed") {
  const outcome = status === "succeeded" ? { status, output: {} } : { status, error: { code: "x", message: "broke" } };
  await finishRun(autocommit(), id, outcome, new Date(), 5);
}

describe("fillRunsPerDay", () => {
  it("gives every one of the last days a bar, zeros where nothing ran", () => {
    const now = Date.parse("2026-03-10T08:00:00Z");
    const days = fillRunsPerDay([{ day: "2026-03-09", status: "failed", count: 2 }, { day: "2026-02-01", status: "failed", count: 9 }], now, 3);
    expect(days).toEqual([
      { day: "2026-03-08", queued: 0, running: 0, succeeded: 0, failed: 0, cancelled: 0 },
      { day: "2026-03-09", queued: 0, running: 0, succeeded: 0, failed: 2, cancelled: 0 },
      { day: "2026-03-10", queued: 0, running: 0, succeeded: 0, failed: 0, cancelled: 0 },
    ]);
  });
});

describe("run figures", () => {
  it("counts the last 24 hours, open runs, days and per-pipeline activity", async () => {
    const now = new Date();
    const hour = 3_600_000;
    const ok = await run("test.one", new Date(now.getTime() - hour));
    const bad = await run("test.one", new Date(now.getTime() - 2 * hour));
    await run("test.two", new Date(now.getTime() - 10 * 60_000), "queued");
    const last = await run("test.one", new Date(now.getTime() - 3 * 24 * hour), "queued");
    await close(ok, "succeeded");
    await close(bad, "failed");

    const overview = await getRunsOverview(now);
    expect(overview.last24h).toMatchObject({ total: 3, succeeded: 1, failed: 1, queued: 1, finished: 2, failureRate: 0.5 });
    expect(overview.openNow).toBe(2);
    expect(overview.perDay).toHaveLength(14);
    const sum = overview.perDay.reduce((n, d) => n + d.succeeded + d.failed + d.queued + d.running + d.cancelled, 0);
    expect(sum).toBe(4);
    const threeDaysAgo = new Date(now.getTime() - 3 * 24 * hour).toISOString().slice(0, 10);
    expect(overview.perDay.find((d) => d.day === threeDaysAgo)).toMatchObject({ queued: 1, succeeded: 0 });
    // Newest recorded first (ids are time-ordered), whatever their queue time.
    expect(overview.recent.map((r) => r.id)[0]).toBe(last);
    expect(overview.recent).toHaveLength(4);

    const stats = await getPipelineRunStats(["test.one", "test.two", "test.none"], now);
    expect(stats.get("test.one")).toMatchObject({ runs7d: 3, lastRun: { status: "queued" } });
    expect(stats.get("test.two")).toMatchObject({ runs7d: 1, lastRun: { status: "queued" } });
    expect(stats.get("test.none")).toEqual({ runs7d: 0, lastRun: null });
  });
});
