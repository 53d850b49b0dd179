import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MAX_SEARCH_FILE_BYTES, SNIPPET_CHARS, searchContext, type SearchRequest } from "./search-context";
import { SEED_FILES } from "./seed-content";
import { seedContextHub } from "./seed-hub";

let hub: string;

const search = (query: string, options: Partial<SearchRequest> = {}, signal?: AbortSignal) =>
  searchContext(hub, { query, path: "", limit: 20, caseSensitive: false, includeArchive: false, ...options }, signal);

/** 1-based numbers of the seeded file's lines that contain `needle`. */
function seededLines(file: string, needle: string): number[] {
  return SEED_FILES[file]!.split("\n").flatMap((line, index) => (line.toLowerCase().includes(needle.toLowerCase()) ? [index + 1] : []));
}

beforeAll(async () => {
  hub = await mkdtemp(path.join(os.tmpdir(), "hub-search-"));
  await seedContextHub(hub);
});

afterAll(async () => {
  await rm(hub, { recursive: true, force: true });
});

describe("searchContext", () => {
  it("finds lines case-insensitively, with line numbers and the line as snippet, ordered by path then line", async () => {
    const result = await search("NORTHWIND");
    expect(result.matches).toEqual([
      ...seededLines("areas/clients/northwind-freight.md", "northwind").map((line) => ({
        path: "areas/clients/northwind-freight.md",
        line,
        snippet: SEED_FILES["areas/clients/northwind-freight.md"]!.split("\n")[line - 1]!.trim(),
      })),
      {
        path: "projects/email-triage-agent/overview.md",
        line: seededLines("projects/email-triage-agent/overview.md", "northwind")[0],
        snippet: "- Lessons from the Northwind quote triage (areas/clients/northwind-freight.md) apply directly.",
      },
    ]);
    expect(result.matches[0]).toEqual({ path: "areas/clients/northwind-freight.md", line: 2, snippet: "client: Northwind Freight" });
    expect(result.truncated).toBe(false);
    expect(result.filesScanned).toBe(Object.keys(SEED_FILES).filter((file) => !file.startsWith("archive/")).length);
  });

  it("matches case exactly when asked", async () => {
    const result = await search("northwind", { caseSensitive: true });
    expect(result.matches.map((m) => m.path)).toEqual(["projects/email-triage-agent/overview.md"]);
    expect((await search("NORTHWIND", { caseSensitive: true })).matches).toEqual([]);
  });

  it("leaves archive/ out unless asked or searched directly", async () => {
    expect((await search("coaching")).matches).toEqual([]);
    const asked = await search("coaching", { includeArchive: true });
    expect(asked.matches).toEqual([{ path: "archive/2023-coaching-offer.md", line: 1, snippet: "# Group coaching offer (2023, discontinued)" }]);
    expect((await search("coaching", { path: "archive" })).matches).toHaveLength(1);
  });

  it("stops at the limit and says there is more", async () => {
    const all = await search("the", { limit: 200 });
    expect(all.truncated).toBe(false);
    expect(all.matches.length).toBeGreaterThan(5);
    const sorted = [...all.matches].sort((a, b) => (a.path === b.path ? a.line - b.line : a.path < b.path ? -1 : 1));
    expect(all.matches).toEqual(sorted);

    const first = await search("the", { limit: 3 });
    expect(first).toMatchObject({ matches: all.matches.slice(0, 3), truncated: true });
    const exact = await search("the", { limit: all.matches.length });
    expect(exact.truncated).toBe(false);
  });

  it("searches one folder or one file", async () => {
    const inClients = await search("status", { path: "areas/clients" });
    expect(new Set(inClients.matches.map((m) => m.path))).toEqual(
      new Set(["areas/clients/harbor-dental.md", "areas/clients/northwind-freight.md", "areas/clients/overview.md"]),
    );
    const inFile = await search("status", { path: "areas/clients/harbor-dental.md" });
    expect(inFile.filesScanned).toBe(1);
    expect(inFile.matches.every((m) => m.path === "areas/clients/harbor-dental.md")).toBe(true);
  });

  it("takes the query literally, not as a pattern", async () => {
    await writeFile(path.join(hub, "knowledge", "literal.txt"), "plain a.b text\naxb is not a.b\nprice (USD) [net]\n");
    expect((await search("a.b", { path: "knowledge/literal.txt" })).matches.map((m) => m.line)).toEqual([1, 2]);
    expect((await search("(usd) [", { path: "knowledge" })).matches).toEqual([
      { path: "knowledge/literal.txt", line: 3, snippet: "price (USD) [net]" },
    ]);
    expect((await search(".*")).matches).toEqual([]);
  });

  it("cuts a long line to a snippet around the match", async () => {
    const line = `${"lorem ipsum ".repeat(100)}NEEDLE-IN-HAYSTACK${" dolor sit".repeat(100)}`;
    await writeFile(path.join(hub, "knowledge", "long-line.md"), `intro\n${line}\n`);
    const [match] = (await search("needle-in-haystack")).matches;
    expect(match).toMatchObject({ path: "knowledge/long-line.md", line: 2 });
    expect(match!.snippet).toContain("NEEDLE-IN-HAYSTACK");
    expect(match!.snippet.length).toBeLessThanOrEqual(SNIPPET_CHARS + 2);
    expect(match!.snippet.startsWith("…")).toBe(true);
    expect(match!.snippet.endsWith("…")).toBe(true);
  });

  it("skips files over 1 MB and files that are not text", async () => {
    await writeFile(path.join(hub, "knowledge", "huge.md"), `needle-huge\n${"x".repeat(MAX_SEARCH_FILE_BYTES)}`);
    await writeFile(path.join(hub, "knowledge", "image.png"), "needle-huge");
    expect((await search("needle-huge")).matches).toEqual([]);
  });

  it("gets through thousands of files and stops when the signal aborts", async () => {
    const bulk = path.join(hub, "knowledge", "bulk");
    for (let folder = 0; folder < 20; folder += 1) {
      await mkdir(path.join(bulk, `f${folder}`), { recursive: true });
      await Promise.all(
        Array.from({ length: 150 }, (_, file) =>
          writeFile(path.join(bulk, `f${folder}`, `n${file}.md`), `# Note ${folder}-${file}\n${file === 7 ? "rare-token\n" : "common\n"}`),
        ),
      );
    }
    const result = await search("rare-token", { path: "knowledge/bulk", limit: 200 });
    expect(result.filesScanned).toBe(3000);
    expect(result.matches).toHaveLength(20);
    expect(result.matches[0]).toEqual({ path: "knowledge/bulk/f0/n7.md", line: 2, snippet: "rare-token" });

    const controller = new AbortController();
    controller.abort(new Error("stop"));
    await expect(search("rare-token", { path: "knowledge/bulk" }, controller.signal)).rejects.toThrow("stop");
  });
});
