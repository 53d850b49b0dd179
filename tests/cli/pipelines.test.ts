import { mkdtemp, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { describe, expect, it, vi } from "vitest";
import { Prisma } from "@/generated/prisma/client";
import { autocommit } from "@/lib/db/transaction";
import { newId } from "@/lib/ids";
import type { RunDto } from "@/lib/pipelines/run-dto";
import { findRun, insertRun, type NewRun } from "@/lib/pipelines/runs.repository";
import { cli } from "./run-cli";

// `pa pipelines …` and `pa runs …` against this file's database; the context hub is the per-file
// temporary folder the test setup points CONTEXT_HUB_DIR at.

// One extra pipeline that runs until it is cancelled, for what --wait does with a run still going.
vi.mock("@/pipelines/registry", async (importOriginal) => {
  const original = await importOriginal<typeof import("@/pipelines/registry")>();
  const { z } = await import("zod");
  const { definePipeline } = await import("@/lib/pipelines/define");
  const slow = definePipeline({
    name: "test.slow",
    title: "Slow",
    description: "Never finishes on its own.",
    input: z.object({}),
    output: z.object({}),
    run: () => new Promise<Record<string, never>>(() => {}),
  });
  return { ...original, PIPELINE_NAMES: [...original.PIPELINE_NAMES, "test.slow"], registry: { ...original.registry, "test.slow": slow } };
});

const echoRuns = () => autocommit().pipelineRun.findMany({ where: { pipeline: "system.echo" }, orderBy: { id: "asc" } });

function storedRun(overrides: Partial<NewRun>): NewRun {
  return {
    id: newId("run"),
    pipeline: "system.echo",
    status: "queued",
    trigger: "api",
    input: { message: "waiting" },
    actorType: "agent",
    actorId: "agt_test",
    actorLabel: "test-agent",
    tokenId: null,
    requestId: null,
    idempotencyKey: null,
    idempotencyScope: null,
    parentRunId: null,
    instanceId: null,
    timeoutMs: 5_000,
    startedAt: null,
    ...overrides,
  };
}

describe("pa pipelines", () => {
  it("lists the registered pipelines as a table and as JSON with their schemas", async () => {
    const table = await cli(["pipelines", "list"]);
    expect(table.code).toBe(0);
    expect(table.lines[0]).toMatch(/^NAME\s+TITLE\s+SIDE EFFECTS\s+AREAS\s+TIMEOUT$/);
    expect(table.out).toMatch(/^system\.echo\s+Echo\s+none\s+all\s+5 s$/m);
    expect(table.out).toMatch(/^notes\.capture\s+.+\s+internal\s+all\s+10 s$/m);

    const json = await cli(["pipelines", "list", "--json"]);
    const all = JSON.parse(json.out) as { name: string; inputSchema: { properties: Record<string, unknown> } }[];
    expect(all.map((p) => p.name)).toContain("system.echo");
    expect(all.find((p) => p.name === "system.echo")!.inputSchema.properties).toHaveProperty("message");
  });

  it("shows one pipeline's description and its input and output JSON Schemas", async () => {
    const run = await cli(["pipelines", "show", "system.echo"]);
    expect(run.code).toBe(0);
    expect(run.lines[0]).toBe("system.echo  Echo");
    expect(run.out).toContain("Returns the message it was given");
    expect(run.out).toMatch(/^Side effects:\s+none$/m);
    expect(run.out).toMatch(/^Timeout:\s+5 s$/m);
    const input = run.out.slice(run.out.indexOf("Input schema:"), run.out.indexOf("Output schema:"));
    expect(input).toContain('"message": {');
    expect(input).toContain('"default": "ping"');
    expect(run.out.slice(run.out.indexOf("Output schema:"))).toContain('"serverTime": {');

    const json = JSON.parse((await cli(["pipelines", "show", "system.echo", "--json"])).out);
    expect(json).toMatchObject({ name: "system.echo", sideEffects: "none", timeoutMs: 5000 });
    expect(json.inputSchema.properties.message.type).toBe("string");
  });

  it("refuses an unknown pipeline with exit code 1", async () => {
    for (const command of [["show"], ["run"]]) {
      const run = await cli(["pipelines", ...command, "nope.nothing"]);
      expect(run.code).toBe(1);
      expect(run.err).toBe('error: There is no pipeline named "nope.nothing"');
    }
  });

  it("runs a pipeline, prints its output and records a cli run by a system actor", async () => {
    const run = await cli(["pipelines", "run", "system.echo", "--input", '{"message":"hi"}']);
    expect(run.code).toBe(0);
    expect(run.err).toBe("");
    const output = JSON.parse(run.out) as { message: string; actor: string; trigger: string };
    expect(output).toMatchObject({ message: "hi", trigger: "cli", actor: expect.stringMatching(/^cli:[^@\s]+@\S+$/) });

    const [stored] = await echoRuns();
    expect(stored).toMatchObject({
      status: "succeeded",
      trigger: "cli",
      actorType: "system",
      actorId: null,
      actorLabel: output.actor,
      input: { message: "hi" },
      output: { message: "hi" },
    });
  });

  it("reads the input from a file or standard input, and prints the whole run with --json", async () => {
    const file = path.join(await mkdtemp(path.join(os.tmpdir(), "pa-cli-input-")), "input.json");
    await writeFile(file, '{\n  "message": "from a file"\n}\n');
    const fromFile = await cli(["pipelines", "run", "system.echo", "--input-file", file]);
    expect(fromFile.code).toBe(0);
    expect(JSON.parse(fromFile.out).message).toBe("from a file");

    const piped = await cli(["pipelines", "run", "system.echo", "--input-stdin", "--json"], { stdin: '{"message":"piped"}\n' });
    expect(piped.code).toBe(0);
    const record = JSON.parse(piped.out) as RunDto;
    expect(record).toMatchObject({
      id: expect.stringMatching(/^run_[0-9a-z]{26}$/),
      pipeline: "system.echo",
      status: "succeeded",
      trigger: "cli",
      input: { message: "piped" },
      output: { message: "piped" },
      actor: { type: "system", id: null },
    });
    expect(record.durationMs).toBeGreaterThanOrEqual(0);

    // Without input, the schema's defaults apply.
    expect(JSON.parse((await cli(["pipelines", "run", "system.echo"])).out).message).toBe("ping");

    const missing = await cli(["pipelines", "run", "system.echo", "--input-file", `${file}.gone`]);
    expect(missing.code).toBe(1);
    expect(missing.err).toBe(`error: Cannot read --input-file ${file}.gone: no such file`);
  });

  it("rejects JSON that does not parse, saying where, and records nothing", async () => {
    const before = (await echoRuns()).length;
    const run = await cli(["pipelines", "run", "system.echo", "--input", '{"message":}']);
    expect(run.code).toBe(1);
    expect(run.out).toBe("");
    expect(run.err).toBe('error: --input is not valid JSON at line 1, column 12 (position 11): expected a value (object, array, string, number, true, false or null), but found "}"');

    const quotes = await cli(["pipelines", "run", "system.echo", "--input", "{message: 'hi'}"]);
    expect(quotes.err).toContain("at line 1, column 2 (position 1): expected a property name in double quotes");

    const lines = await cli(["pipelines", "run", "system.echo", "--input-stdin"], { stdin: '{\n  "message": "hi",\n}\n' });
    expect(lines.code).toBe(1);
    expect(lines.err).toContain("Standard input is not valid JSON at line 3, column 1");

    expect((await cli(["pipelines", "run", "system.echo", "--input", " "])).err).toContain("--input is empty");
    expect((await echoRuns()).length).toBe(before);
  });

  it("reports input that does not match the schema with the field, and records nothing", async () => {
    const before = (await echoRuns()).length;
    const run = await cli(["pipelines", "run", "system.echo", "--input", '{"message": 42}']);
    expect(run.code).toBe(1);
    expect(run.err).toMatch(/^error: Input for system\.echo is invalid \(message: must be text \(got a number\)\)/);
    expect((await echoRuns()).length).toBe(before);
  });

  it("allows only one source of input (usage error, exit 2)", async () => {
    const run = await cli(["pipelines", "run", "system.echo", "--input", "{}", "--input-stdin"], { stdin: "{}" });
    expect(run.code).toBe(2);
    expect(run.err).toContain("cannot be used with option '--input-stdin'");
    expect((await cli(["pipelines", "run", "system.echo", "--wait", "soon"])).code).toBe(2);
  });

  it("returns the first run again for a repeated --idempotency-key", async () => {
    const args = ["pipelines", "run", "system.echo", "--input", '{"message":"once"}', "--idempotency-key", "nightly-2026-01-01", "--json"];
    const first = JSON.parse((await cli(args)).out) as RunDto;
    const second = JSON.parse((await cli(args)).out) as RunDto;
    expect(second.id).toBe(first.id);
    expect(second.idempotencyKey).toBe("nightly-2026-01-01");
    expect(await autocommit().pipelineRun.count({ where: { idempotencyKey: "nightly-2026-01-01" } })).toBe(1);
  });

  it("exits 1 with the pipeline, error code, message and run id when the run fails", async () => {
    const run = await cli(["pipelines", "run", "context.read", "--input", '{"tier":"full","path":"../secrets.md"}']);
    expect(run.code).toBe(1);
    expect(run.out).toBe("");
    const match = run.err.match(/^error: context\.read failed: forbidden: The path "\.\.\/secrets\.md" is outside the context hub \(run (run_[0-9a-z]{26})\)$/);
    expect(match).not.toBeNull();
    expect(await findRun(autocommit(), match![1]!)).toMatchObject({ status: "failed", trigger: "cli", error: { code: "forbidden" } });
  });

  it("cancels a run still going when --wait runs out, since it cannot outlive the command", async () => {
    const started = Date.now();
    const run = await cli(["pipelines", "run", "test.slow", "--wait", "0.3"]);
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(run.code).toBe(1);
    expect(run.out).toBe("");
    const match = run.err.match(/^error: test\.slow was cancelled: Cancelled by cli:\S+ after waiting 0\.3 s \(run (run_[0-9a-z]{26})\)$/);
    expect(match).not.toBeNull();
    expect(await findRun(autocommit(), match![1]!)).toMatchObject({ status: "cancelled", error: { code: "cancelled" } });
  });
});

describe("pa runs", () => {
  it("lists runs newest first, filtered by pipeline and status, with the next page's command", async () => {
    await cli(["pipelines", "run", "context.read", "--input", '{"tier":"full","path":"../other.md"}']);
    const table = await cli(["runs", "list"]);
    expect(table.code).toBe(0);
    expect(table.lines[0]).toMatch(/^ID\s+PIPELINE\s+STATUS\s+TRIGGER\s+ACTOR\s+QUEUED\s+DURATION$/);
    expect(table.lines[1]).toMatch(/^run_[0-9a-z]{26}\s+context\.read\s+failed\s+cli\s+system:cli:\S+\s+just now\s+\d+ ms$/);

    const echoes = await cli(["runs", "list", "--pipeline", "system.echo"]);
    const echoRows = echoes.lines.slice(1);
    expect(echoRows.length).toBeGreaterThanOrEqual(5);
    expect(echoRows.every((line) => /^run_\S+\s+system\.echo\s/.test(line))).toBe(true);

    const failed = await cli(["runs", "list", "--status", "failed,cancelled"]);
    expect(failed.lines.slice(1).length).toBeGreaterThanOrEqual(2);
    expect(failed.lines.slice(1).every((line) => /\s(failed|cancelled)\s/.test(line))).toBe(true);
    expect((await cli(["runs", "list", "--trigger", "api"])).out).toBe("No runs match.");

    const firstPage = await cli(["runs", "list", "--pipeline", "system.echo", "--limit", "2"]);
    expect(firstPage.lines).toHaveLength(4);
    const next = firstPage.lines[3]!.match(/^More: npm run cli -- runs list --pipeline system\.echo --limit 2 --cursor (run_\S+)$/);
    expect(next).not.toBeNull();
    const secondPage = await cli(["runs", "list", "--pipeline", "system.echo", "--limit", "2", "--cursor", next![1]!]);
    const ids = (run: { lines: string[] }) => run.lines.slice(1, 3).map((line) => line.split(/\s+/)[0]);
    expect(ids(secondPage)[0]! < ids(firstPage)[1]!).toBe(true);

    const json = JSON.parse((await cli(["runs", "list", "--status", "failed", "--json"])).out) as { runs: RunDto[]; nextCursor: string | null };
    expect(json.runs.length).toBeGreaterThanOrEqual(2);
    expect(json.runs.every((r) => r.status === "failed")).toBe(true);

    const bad = await cli(["runs", "list", "--status", "done"]);
    expect(bad.code).toBe(1);
    expect(bad.err).toMatch(/^error: The filter is invalid \(status\[0\]: /);
  });

  it("shows one run with its input, output or error, parent and children", async () => {
    const ok = JSON.parse((await cli(["pipelines", "run", "system.echo", "--input", '{"message":"show me"}', "--json"])).out) as RunDto;
    const shown = await cli(["runs", "show", ok.id]);
    expect(shown.code).toBe(0);
    expect(shown.out).toMatch(new RegExp(`^Run:\\s+${ok.id}$`, "m"));
    expect(shown.out).toMatch(/^Status:\s+succeeded$/m);
    expect(shown.out).toMatch(/^Actor:\s+system:cli:\S+$/m);
    expect(shown.out).toMatch(/^Queued:\s+\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} \(just now\)$/m);
    expect(shown.out).toContain('Input:\n  {\n    "message": "show me"\n  }');
    expect(shown.out.slice(shown.out.indexOf("Output:"))).toMatch(/^ {4}"message": "show me",$/m);
    expect(shown.out).not.toContain("Error:");

    const failed = JSON.parse((await cli(["runs", "list", "--status", "failed", "--json"])).out).runs[0] as RunDto;
    const failedShown = await cli(["runs", "show", failed.id]);
    expect(failedShown.out).toContain('Error:\n  {\n    "code": "forbidden",');
    expect(failedShown.out).not.toContain("Output:");

    const db = autocommit();
    const parent = await insertRun(db, storedRun({ status: "running", startedAt: new Date() }));
    const child = await insertRun(db, storedRun({ parentRunId: parent.id, pipeline: "context.read", input: Prisma.JsonNull }));
    const parentShown = await cli(["runs", "show", parent.id]);
    expect(parentShown.out).toMatch(/^Parent:\s+-$/m);
    expect(parentShown.out).toContain(`Children:     1\n  ${child.id}  context.read  queued`);
    expect((await cli(["runs", "show", child.id])).out).toMatch(new RegExp(`^Parent:\\s+${parent.id}  system\\.echo  running$`, "m"));

    const json = JSON.parse((await cli(["runs", "show", parent.id, "--json"])).out);
    expect(json.children.map((c: RunDto) => c.id)).toEqual([child.id]);

    const missing = await cli(["runs", "show", "run_00000000000000000000000000"]);
    expect(missing.code).toBe(1);
    expect(missing.err).toBe("error: There is no run run_00000000000000000000000000");
  });

  it("cancels a queued run, and refuses a finished one with exit code 1", async () => {
    const queued = await insertRun(autocommit(), storedRun({}));
    const cancelled = await cli(["runs", "cancel", queued.id]);
    expect(cancelled.code).toBe(0);
    expect(cancelled.out).toBe(`Cancelled ${queued.id} (system.echo).`);
    const stored = await findRun(autocommit(), queued.id);
    expect(stored).toMatchObject({ status: "cancelled", error: { code: "cancelled", message: expect.stringMatching(/^Cancelled by cli:/) } });

    const finished = JSON.parse((await cli(["pipelines", "run", "system.echo", "--json"])).out) as RunDto;
    const refused = await cli(["runs", "cancel", finished.id]);
    expect(refused.code).toBe(1);
    expect(refused.err).toBe("error: This run has already succeeded");
    expect((await cli(["runs", "cancel", queued.id])).err).toBe("error: This run has already cancelled");
  });
});
