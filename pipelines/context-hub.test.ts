import { mkdtemp, readFile, readdir, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { seedContextHub } from "@/lib/context-hub/seed-hub";
import { autocommit } from "@/lib/db/transaction";
import type { Actor } from "@/lib/pipelines/define";
import { runPipeline } from "@/lib/pipelines/run-pipeline";
import { findRun } from "@/lib/pipelines/runs.repository";
import { failure } from "@/tests/setup/app-error";
import { envForFile } from "@/tests/setup/config-env";

// The three context hub pipelines through the real runner, recorded in this file's database,
// against a seeded hub in a temporary folder.

const actor: Actor = { type: "user", id: "usr_test", label: "test@example.com" };
let hub: string;

function run(name: string, input: unknown) {
  return runPipeline({ name, input, trigger: "api", actor, waitMs: 10_000 });
}

envForFile(async () => {
  hub = await mkdtemp(path.join(os.tmpdir(), "hub-pipelines-"));
  await seedContextHub(hub);
  return { CONTEXT_HUB_DIR: hub };
});

afterAll(() => rm(hub, { recursive: true, force: true }));

describe("context.read", () => {
  it("defaults to the abstracts of the whole hub and records a succeeded run", async () => {
    const { run: done, finished } = await run("context.read", {});
    expect(finished).toBe(true);
    expect(done).toMatchObject({ pipeline: "context.read", status: "succeeded", trigger: "api", actorLabel: "test@example.com" });
    const output = done.output as { tier: string; folders: { path: string }[] };
    expect(output.tier).toBe("abstracts");
    expect(output.folders.map((f) => f.path)).toContain("areas/clients");
    expect(output.folders.map((f) => f.path)).not.toContain("archive");

    const stored = await findRun(autocommit(), done.id);
    expect(stored).toMatchObject({ status: "succeeded", input: { path: "", tier: "abstracts", depth: 2, includeArchive: false } });
  });

  it("reads a full file", async () => {
    const { run: done } = await run("context.read", { path: "areas/clients/northwind-freight.md", tier: "full" });
    expect(done.status).toBe("succeeded");
    expect(done.output).toMatchObject({ tier: "full", frontMatter: { client: "Northwind Freight" }, truncated: false });
  });

  it("fails the run with forbidden for a path that climbs out of the hub", async () => {
    const { run: done } = await run("context.read", { path: "../../etc/passwd", tier: "full" });
    expect(done.status).toBe("failed");
    expect(done.error).toMatchObject({ code: "forbidden", message: 'The path "../../etc/passwd" is outside the context hub' });
    expect((await findRun(autocommit(), done.id))?.status).toBe("failed");
  });

  it("fails the run with not_found for a missing file", async () => {
    const { run: done } = await run("context.read", { path: "areas/nope.md", tier: "full" });
    expect(done).toMatchObject({ status: "failed", error: { code: "not_found" } });
  });

  it("refuses an unknown tier before recording a run", async () => {
    expect((await failure(run("context.read", { tier: "everything" }))).code).toBe("validation_failed");
  });
});

describe("context.search", () => {
  it("returns matches in the run's output", async () => {
    const { run: done } = await run("context.search", { query: "priya" });
    expect(done.status).toBe("succeeded");
    const output = done.output as { matches: { path: string; line: number; snippet: string }[]; truncated: boolean };
    expect(output.matches.length).toBeGreaterThan(0);
    expect(output.matches.every((m) => m.path === "areas/clients/northwind-freight.md" && m.snippet.toLowerCase().includes("priya"))).toBe(true);
  });

  it("rejects an empty query", async () => {
    expect((await failure(run("context.search", { query: "" }))).code).toBe("validation_failed");
  });
});

describe("notes.capture", () => {
  it("writes a note whose front matter names the caller and the run", async () => {
    const { run: done } = await run("notes.capture", { title: "Ask Tom about voicemail volume", body: "Before the proposal.", tags: ["clients"] });
    expect(done.status).toBe("succeeded");
    const output = done.output as { path: string; bytes: number; createdAt: string };
    expect(output.path).toMatch(/^inbox\/\d{4}-\d{2}-\d{2}-ask-tom-about-voicemail-volume\.md$/);
    const text = await readFile(path.join(hub, output.path), "utf8");
    expect(Buffer.byteLength(text)).toBe(output.bytes);
    const frontMatter = parse(text.split("---\n")[1]!) as Record<string, unknown>;
    expect(frontMatter).toEqual({
      title: "Ask Tom about voicemail volume",
      created: output.createdAt,
      tags: ["clients"],
      captured_by: "test@example.com",
      run_id: done.id,
    });
  });

  it("captures the same title three times into three files", async () => {
    const paths: string[] = [];
    for (let i = 0; i < 3; i += 1) {
      const { run: done } = await run("notes.capture", { title: "Same title", body: `take ${i}` });
      paths.push((done.output as { path: string }).path);
    }
    expect(new Set(paths).size).toBe(3);
    expect(paths[1]).toBe(paths[0]!.replace(/\.md$/, "-2.md"));
    expect(paths[2]).toBe(paths[0]!.replace(/\.md$/, "-3.md"));
  });

  it("rejects bad tags, too many tags and multi-line titles with a validation error, writing nothing", async () => {
    const before = await readdir(path.join(hub, "inbox"));
    for (const input of [
      { title: "Bad tag", body: "", tags: ["Has Spaces"] },
      { title: "Bad tag", body: "", tags: ["-leading"] },
      { title: "Too many", body: "", tags: Array.from({ length: 21 }, (_, i) => `t${i}`) },
      { title: "Two\nlines", body: "" },
      { title: "   ", body: "" },
    ]) {
      const error = await failure(run("notes.capture", input));
      expect(error.code, JSON.stringify(input)).toBe("validation_failed");
    }
    expect(await readdir(path.join(hub, "inbox"))).toEqual(before);
  });
});

describe("context.write and the hub's recent changes", () => {
  it("writes a file as a recorded run with its actor, and lists it as a change by a user", async () => {
    const before = await readFile(path.join(hub, "knowledge", "overview.md"));
    const { createHash } = await import("node:crypto");
    const expectedSha256 = createHash("sha256").update(before).digest("hex");
    const { run: done } = await run("context.write", { path: "knowledge/overview.md", content: "# Knowledge\n\nRewritten.\n", expectedSha256 });
    expect(done).toMatchObject({ pipeline: "context.write", status: "succeeded", actorType: "user", actorLabel: "test@example.com" });
    expect(await readFile(path.join(hub, "knowledge", "overview.md"), "utf8")).toBe("# Knowledge\n\nRewritten.\n");

    const { listRecentChanges } = await import("@/lib/context-hub/recent-changes");
    const changes = await listRecentChanges({ path: "knowledge/overview.md" });
    expect(changes[0]).toMatchObject({ runId: done.id, path: "knowledge/overview.md", kind: "edited", author: "user", actorLabel: "test@example.com" });
  });

  it("records a stale save as a failed run with conflict, leaving the file alone", async () => {
    const { run: done } = await run("context.write", { path: "knowledge/overview.md", content: "stale", expectedSha256: "0".repeat(64) });
    expect(done).toMatchObject({ status: "failed", error: { code: "conflict" } });
    expect(await readFile(path.join(hub, "knowledge", "overview.md"), "utf8")).toBe("# Knowledge\n\nRewritten.\n");
  });

  it("names agents, assistants and pipelines as the authors of their changes", async () => {
    const agent: Actor = { type: "agent", id: "agt_1", label: "openclaw" };
    await runPipeline({ name: "context.write", input: { path: "projects/agent.md", content: "a" }, trigger: "agent", actor: agent, waitMs: 10_000 });
    await runPipeline({ name: "notes.capture", input: { title: "From chat" }, trigger: "chat", actor, waitMs: 10_000 });
    await runPipeline({ name: "notes.capture", input: { title: "Nightly" }, trigger: "schedule", actor: { type: "schedule", id: "sch_1", label: "nightly digest" }, waitMs: 10_000 });
    const { listRecentChanges } = await import("@/lib/context-hub/recent-changes");
    const [nightly, chat, byAgent] = await listRecentChanges({ limit: 3 });
    expect(byAgent).toMatchObject({ author: "agent", actorLabel: "openclaw", path: "projects/agent.md", kind: "created" });
    expect(chat).toMatchObject({ author: "assistant", kind: "captured" });
    expect(nightly).toMatchObject({ author: "pipeline", actorLabel: "nightly digest" });
  });
});
