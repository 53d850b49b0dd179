import { access, mkdtemp, readFile, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getConfig, resetConfigForTests } from "@/lib/config";
import { autocommit } from "@/lib/db/transaction";
import { findPipeline } from "@/lib/pipelines/catalog";
import { RUN_TRIGGERS } from "@/lib/pipelines/run-dto";
import type { RunDto } from "@/lib/pipelines/run-dto";
import { cli } from "./run-cli";

// `db seed` writes two weeks of pipeline runs and the demo context hub. Seeded runs are the ones
// whose request id starts with req_seed_; anything else is real and must survive --force.

const SEEDED = { requestId: { startsWith: "req_seed_" } };
const DAY = 24 * 3600_000;
const seededRuns = () => autocommit().pipelineRun.findMany({ where: SEEDED, orderBy: { id: "asc" } });

let hub: string;
const previousHub = process.env.CONTEXT_HUB_DIR;

async function useHub(dir: string): Promise<void> {
  process.env.CONTEXT_HUB_DIR = dir;
  resetConfigForTests();
}

beforeAll(async () => {
  hub = path.join(await mkdtemp(path.join(os.tmpdir(), "pa-seed-test-")), "hub");
  await useHub(hub);
});

afterAll(async () => {
  process.env.CONTEXT_HUB_DIR = previousHub;
  resetConfigForTests();
});

const exists = (file: string) =>
  access(file).then(
    () => true,
    () => false,
  );

describe("db seed: pipeline runs and the context hub", () => {
  let realRun: RunDto;
  let firstSeedIds: string[];

  it("seeds two weeks of runs with every trigger and finished status, ordered by id like by time", async () => {
    realRun = JSON.parse((await cli(["pipelines", "run", "system.echo", "--input", '{"message":"real"}', "--json"])).out) as RunDto;
    const started = Date.now();

    const run = await cli(["db", "seed"]);
    expect(run.code).toBe(0);
    expect(run.out).toMatch(/^Pipeline runs:\n {2}\d+ over the last 14 days: \d+ succeeded, \d+ failed, \d+ cancelled$/m);
    expect(run.out).toMatch(/^Context hub:\n {2}\d+ demo files written in (.+)$/m);
    expect(run.out).toContain(`demo files written in ${hub}`);

    const runs = await seededRuns();
    expect(runs.length).toBeGreaterThanOrEqual(100);
    expect(runs.length).toBeLessThanOrEqual(160);
    firstSeedIds = runs.map((r) => r.id);

    const days = new Set(runs.map((r) => r.queuedAt.toISOString().slice(0, 10)));
    expect(days.size).toBeGreaterThanOrEqual(10);
    expect(runs.every((r) => r.queuedAt.getTime() > started - 15 * DAY && r.finishedAt!.getTime() <= started)).toBe(true);
    // Recent enough for the dashboard's last-24-hours figures.
    expect(runs.filter((r) => r.queuedAt.getTime() > started - DAY).length).toBeGreaterThanOrEqual(3);

    expect(new Set(runs.map((r) => r.status))).toEqual(new Set(["succeeded", "failed", "cancelled"]));
    expect(runs.filter((r) => r.status === "succeeded").length / runs.length).toBeGreaterThan(0.7);
    expect(new Set(runs.map((r) => r.trigger))).toEqual(new Set(RUN_TRIGGERS));
    expect(new Set(runs.map((r) => r.actorType))).toEqual(new Set(["user", "agent", "schedule", "event", "system"]));
    expect(runs.find((r) => r.actorType === "agent")).toMatchObject({ actorId: "agt_demo", actorLabel: "openclaw-demo" });
    expect(runs.find((r) => r.actorType === "schedule")).toMatchObject({ actorId: "sch_demo", actorLabel: "nightly digest" });
    const demo = await autocommit().user.findUnique({ where: { email: "demo@example.com" } });
    expect(runs.find((r) => r.actorType === "user")).toMatchObject({ actorId: demo!.id, actorLabel: "demo@example.com" });

    // Listing is by id; ids must sort exactly like the time the runs were queued.
    const byTime = [...runs].sort((a, b) => a.queuedAt.getTime() - b.queuedAt.getTime()).map((r) => r.id);
    expect(runs.map((r) => r.id)).toEqual(byTime);
    expect(runs.every((r) => /^run_[0-9a-z]{26}$/.test(r.id))).toBe(true);

    // Children point at a seeded parent that started before them and finished after them.
    const children = runs.filter((r) => r.parentRunId);
    expect(children.length).toBeGreaterThanOrEqual(3);
    for (const child of children) {
      const parent = runs.find((r) => r.id === child.parentRunId)!;
      expect(parent.startedAt!.getTime()).toBeLessThan(child.queuedAt.getTime());
      expect(parent.finishedAt!.getTime()).toBeGreaterThanOrEqual(child.finishedAt!.getTime());
    }

    // Every record is one the app could have written: valid input, valid output, a coded error.
    for (const r of runs) {
      const pipeline = findPipeline(r.pipeline)!;
      expect(pipeline.input.safeParse(r.input).success, `${r.id} input`).toBe(true);
      expect(r.timeoutMs).toBe(pipeline.timeoutMs);
      expect(r.durationMs).toBe(r.finishedAt!.getTime() - r.startedAt!.getTime());
      if (r.status === "succeeded") {
        expect(pipeline.output.safeParse(r.output).success, `${r.id} output`).toBe(true);
        expect(r.error).toBeNull();
      } else {
        expect(r.output).toBeNull();
        expect(r.error).toMatchObject({ code: expect.any(String), message: expect.any(String) });
      }
    }
    const errors = runs.flatMap((r) => (r.error ? [r.error as { code: string; message: string }] : []));
    expect(errors).toContainEqual({ code: "timeout", message: "Timed out after 30 s" });
    expect(errors.some((e) => e.code === "forbidden" && /is outside the context hub$/.test(e.message))).toBe(true);
    expect(errors.some((e) => e.code === "cancelled" && e.message === "Cancelled by demo@example.com")).toBe(true);

    // Seeded history is older than anything real: the run made just now still lists first.
    const listed = await cli(["runs", "list", "--limit", "2"]);
    expect(listed.lines[1]).toContain(realRun.id);
    expect(listed.lines[2]).toContain(runs[runs.length - 1]!.id);
  });

  it("writes the demo context hub next to the runs", async () => {
    expect(getConfig().contextHubDir).toBe(hub);
    expect(await readFile(path.join(hub, "soul.md"), "utf8")).toMatch(/^# Alex Morgan\n/);
    expect(await exists(path.join(hub, "areas", "clients", "northwind-freight.md"))).toBe(true);
  });

  it("refuses a second seed without --force and changes nothing", async () => {
    const again = await cli(["db", "seed"]);
    expect(again.code).toBe(1);
    expect(again.err).toContain("Demo data already exists (users, sign-in attempts, pipeline runs, conversations, context hub)");
    expect((await seededRuns()).map((r) => r.id)).toEqual(firstSeedIds);
  });

  it("--force replaces only the seeded runs and the demo files, keeping real runs and the owner's own files", async () => {
    await writeFile(path.join(hub, "soul.md"), "# Alex Morgan\n\nEdited while trying the app.\n");
    await writeFile(path.join(hub, "inbox", "my-own-note.md"), "# Mine\n");

    const run = await cli(["db", "seed", "--force"]);
    expect(run.code).toBe(0);
    expect(run.out).toMatch(/replaced \d+ earlier demo runs/);

    const runs = await seededRuns();
    expect(runs.length).toBeGreaterThanOrEqual(100);
    expect(runs.some((r) => firstSeedIds.includes(r.id))).toBe(false);
    expect(await autocommit().pipelineRun.findUnique({ where: { id: realRun.id } })).toMatchObject({ status: "succeeded", input: { message: "real" } });

    expect(await readFile(path.join(hub, "soul.md"), "utf8")).not.toContain("Edited while trying the app.");
    expect(await readFile(path.join(hub, "inbox", "my-own-note.md"), "utf8")).toBe("# Mine\n");
  });

  it("leaves a hub that holds someone's own notes alone, even with --force", async () => {
    const own = await mkdtemp(path.join(os.tmpdir(), "pa-own-hub-"));
    await writeFile(path.join(own, "soul.md"), "# Sam\n\nMy real notes.\n");
    await useHub(own);
    try {
      const run = await cli(["db", "seed", "--force"]);
      expect(run.code).toBe(0);
      expect(run.out).toContain(`left ${own} alone`);
      expect(await readFile(path.join(own, "soul.md"), "utf8")).toBe("# Sam\n\nMy real notes.\n");
      expect(await exists(path.join(own, "areas"))).toBe(false);
    } finally {
      await useHub(hub);
    }
  });
});
