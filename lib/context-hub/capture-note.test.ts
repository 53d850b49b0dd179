import { mkdir, mkdtemp, readdir, readFile, rm, stat, symlink, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeEach, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { captureNote, slugify } from "./capture-note";
import { HUB_FOLDERS, ensureHubRoot } from "./layout";
import { SEED_FILES } from "./seed-content";
import { seedContextHub } from "./seed-hub";
import { splitFrontMatter } from "./text-file";

let base: string;
let hub: string;
const context = { capturedBy: "test@example.com", runId: "run_test", now: new Date("2025-03-04T22:15:00.000Z") };

beforeEach(async () => {
  base ??= await mkdtemp(path.join(os.tmpdir(), "hub-capture-"));
  hub = await mkdtemp(path.join(base, "hub-"));
});

afterAll(async () => {
  await rm(base, { recursive: true, force: true });
});

async function note(relative: string, root = hub) {
  const text = await readFile(path.join(root, relative), "utf8");
  const match = /^---\n([\s\S]*?)\n---\n/.exec(text);
  if (!match) throw new Error(`no front matter in ${relative}`);
  return { text, frontMatter: parse(match[1]!) as Record<string, unknown>, body: text.slice(match[0].length) };
}

describe("slugify", () => {
  it("makes short ASCII slugs", () => {
    expect(slugify("Hello, World!")).toBe("hello-world");
    expect(slugify("Café déjà vu: Ω")).toBe("cafe-deja-vu");
    expect(slugify("!!!")).toBe("note");
    const long = slugify("a very long title that keeps going and going well past the sixty character limit");
    expect(long.length).toBeLessThanOrEqual(60);
    expect(long).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
  });
});

describe("captureNote", () => {
  it("writes inbox/<date>-<slug>.md with front matter, heading and body", async () => {
    const result = await captureNote(
      hub,
      { title: "Call Priya: pallet counts?", body: "Ask about PDF *attachments*.\n", tags: ["clients", "follow-up"], source: "voice memo" },
      context,
    );
    expect(result).toEqual({
      path: "inbox/2025-03-04-call-priya-pallet-counts.md",
      bytes: expect.any(Number),
      createdAt: "2025-03-04T22:15:00.000Z",
    });
    const written = await note(result.path);
    expect(written.frontMatter).toEqual({
      title: "Call Priya: pallet counts?",
      created: "2025-03-04T22:15:00.000Z",
      tags: ["clients", "follow-up"],
      source: "voice memo",
      captured_by: "test@example.com",
      run_id: "run_test",
    });
    expect(written.body).toBe("\n# Call Priya: pallet counts?\n\nAsk about PDF *attachments*.\n");
    expect(result.bytes).toBe(Buffer.byteLength(written.text));
    // The hub's own reader sees the same front matter.
    expect(splitFrontMatter(written.text).frontMatter).toEqual(written.frontMatter);
  });

  it("never overwrites: the same title three times gives three files", async () => {
    const paths = [];
    for (let i = 1; i <= 3; i += 1) {
      paths.push((await captureNote(hub, { title: "Idea", body: `version ${i}`, tags: [] }, context)).path);
    }
    expect(paths).toEqual(["inbox/2025-03-04-idea.md", "inbox/2025-03-04-idea-2.md", "inbox/2025-03-04-idea-3.md"]);
    for (const [index, relative] of paths.entries()) expect((await note(relative)).body).toContain(`version ${index + 1}`);
  });

  it("returns the note an earlier attempt at the same work wrote, instead of writing a second one", async () => {
    const first = await captureNote(hub, { title: "From a webhook", body: "once", tags: [] }, { ...context, workKey: "webhook:wdp_1" });
    const retry = await captureNote(hub, { title: "From a webhook", body: "once", tags: [] }, { ...context, runId: "run_retry", workKey: "webhook:wdp_1" });
    expect(retry).toEqual(first);
    expect((await note(first.path)).frontMatter).toMatchObject({ work_key: "webhook:wdp_1", run_id: "run_test" });
    const other = await captureNote(hub, { title: "From a webhook", body: "once", tags: [] }, { ...context, workKey: "webhook:wdp_2" });
    expect(other.path).not.toBe(first.path);
    expect((await readdir(path.join(hub, "inbox"))).filter((n) => n.endsWith(".md"))).toHaveLength(2);
  });

  it("gives concurrent captures of one title distinct files and leaves no temporary files", async () => {
    const results = await Promise.all(
      Array.from({ length: 8 }, (_, i) => captureNote(hub, { title: "Race", body: `body ${i}`, tags: [] }, context)),
    );
    expect(new Set(results.map((r) => r.path)).size).toBe(8);
    const entries = await readdir(path.join(hub, "inbox"));
    expect(entries.sort()).toEqual(results.map((r) => path.basename(r.path)).sort());
    const bodies = await Promise.all(results.map(async (r) => (await note(r.path)).body));
    expect(new Set(bodies).size).toBe(8);
  });

  it("creates the hub and inbox when missing, and omits an absent source", async () => {
    const fresh = path.join(hub, "not", "yet");
    const result = await captureNote(fresh, { title: "First", body: "", tags: [] }, context);
    const written = await note(result.path, fresh);
    expect(written.frontMatter).not.toHaveProperty("source");
    expect(written.body).toBe("\n# First\n");
  });

  it("refuses an inbox that is a link out of the hub", async () => {
    const outside = path.join(base, `outside-${path.basename(hub)}`);
    await mkdir(outside);
    await mkdir(hub, { recursive: true });
    await symlink(outside, path.join(hub, "inbox"));
    await expect(captureNote(hub, { title: "Leak", body: "", tags: [] }, context)).rejects.toMatchObject({ code: "forbidden" });
    expect(await readdir(outside)).toEqual([]);
  });
});

describe("seedContextHub and ensureHubRoot", () => {
  it("creates the six top-level folders", async () => {
    const root = path.join(hub, "root");
    await ensureHubRoot(root);
    expect((await readdir(root)).sort()).toEqual([...HUB_FOLDERS].sort());
  });

  it("seeds once, keeps the owner's edits, and overwrites only when forced", async () => {
    const total = Object.keys(SEED_FILES).length;
    expect(await seedContextHub(hub)).toEqual({ created: total, skipped: 0 });
    const soul = path.join(hub, "soul.md");
    await writeFile(soul, "# Me, edited\n");
    expect(await seedContextHub(hub)).toEqual({ created: 0, skipped: total });
    expect(await readFile(soul, "utf8")).toBe("# Me, edited\n");
    expect(await seedContextHub(hub, { force: true })).toEqual({ created: total, skipped: 0 });
    expect(await readFile(soul, "utf8")).toBe(SEED_FILES["soul.md"]);
  });

  it("seeds every folder with an abstract and the required content", async () => {
    await seedContextHub(hub);
    for (const folder of [...HUB_FOLDERS, "areas/content", "areas/clients", "areas/health", "knowledge/sops"]) {
      expect((await readFile(path.join(hub, folder, "abstract.md"), "utf8")).trim().split("\n"), folder).toHaveLength(1);
    }
    for (const folder of ["identity", "areas", "areas/content", "areas/clients", "areas/health"]) {
      expect((await stat(path.join(hub, folder, "overview.md"))).isFile(), folder).toBe(true);
    }
    const soul = await readFile(path.join(hub, "soul.md"), "utf8");
    for (const heading of ["## Mission", "## Values", "## How I work", "## Tone"]) expect(soul).toContain(heading);
    expect((await readdir(path.join(hub, "inbox"))).filter((name) => name !== "abstract.md")).toHaveLength(1);
    expect((await readdir(path.join(hub, "archive"))).filter((name) => name !== "abstract.md")).toHaveLength(1);
  });
});
