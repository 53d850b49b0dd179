import { mkdir, mkdtemp, rm, stat, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MAX_FULL_BYTES, readContext, type ReadContextResult } from "./read-context";
import { SEED_FILES } from "./seed-content";
import { seedContextHub } from "./seed-hub";
import { failure } from "@/tests/setup/app-error";

let hub: string;

function narrow<T extends ReadContextResult["tier"]>(result: ReadContextResult, tier: T): Extract<ReadContextResult, { tier: T }> {
  if (result.tier !== tier) throw new Error(`expected tier ${tier}, got ${result.tier}`);
  return result as Extract<ReadContextResult, { tier: T }>;
}

beforeAll(async () => {
  hub = await mkdtemp(path.join(os.tmpdir(), "hub-read-"));
  await seedContextHub(hub);
});

afterAll(async () => {
  await rm(hub, { recursive: true, force: true });
});

const abstracts = (pathIn: string, depth = 2, includeArchive = false) =>
  readContext(hub, { tier: "abstracts", path: pathIn, depth, includeArchive }).then((r) => narrow(r, "abstracts"));

describe("abstracts", () => {
  it("maps the seeded hub: folders depth-first with their abstracts and file counts, archive left out", async () => {
    const result = await abstracts("");
    expect(result.abstract).toBe(SEED_FILES["abstract.md"]!.trim());
    expect(result.files).toBe(1); // soul.md; abstract.md and overview.md are not counted
    expect(result.folders.map((f) => f.path)).toEqual([
      "areas",
      "areas/clients",
      "areas/content",
      "areas/health",
      "identity",
      "inbox",
      "knowledge",
      "knowledge/sops",
      "projects",
      "projects/email-triage-agent",
    ]);
    expect(result.folders.find((f) => f.path === "areas/clients")).toEqual({
      path: "areas/clients",
      abstract: SEED_FILES["areas/clients/abstract.md"]!.trim(),
      files: 2,
      subfolders: 0,
    });
    expect(result.folders.find((f) => f.path === "areas")).toMatchObject({ files: 0, subfolders: 3 });
    expect(result.truncated).toBe(false);
    // What agents load first has to stay small: well under 2,000 tokens (~4 characters each).
    expect(JSON.stringify(result).length).toBeLessThan(4_000);
  });

  it("lists archive/ only when asked, or when the path is inside it", async () => {
    const withArchive = await abstracts("", 1, true);
    expect(withArchive.folders.map((f) => f.path)).toEqual(["archive", "areas", "identity", "inbox", "knowledge", "projects"]);
    expect(withArchive.folders[0]).toMatchObject({ abstract: SEED_FILES["archive/abstract.md"]!.trim(), files: 1 });
    const inside = await abstracts("archive");
    expect(inside).toMatchObject({ path: "archive", files: 1, folders: [] });
  });

  it("stops at the requested depth and starts at the requested folder", async () => {
    expect((await abstracts("", 1)).folders.map((f) => f.path)).toEqual(["areas", "identity", "inbox", "knowledge", "projects"]);
    const areas = await abstracts("areas/", 1);
    expect(areas.abstract).toBe(SEED_FILES["areas/abstract.md"]!.trim());
    expect(areas.folders.map((f) => f.path)).toEqual(["areas/clients", "areas/content", "areas/health"]);
  });

  it("reports a missing abstract as null, strips heading marks and caps long ones at 300 characters", async () => {
    await mkdir(path.join(hub, "areas", "finance", "taxes"), { recursive: true });
    await writeFile(path.join(hub, "areas", "finance", "budget.md"), "# Budget\n");
    await writeFile(path.join(hub, "areas", "finance", "taxes", "abstract.md"), `\n\n#  Tax filings\nsecond line\n`);
    await mkdir(path.join(hub, "areas", "long"));
    await writeFile(path.join(hub, "areas", "long", "abstract.md"), `${"x".repeat(500)}\n`);
    try {
      const result = await abstracts("areas", 2);
      expect(result.folders.find((f) => f.path === "areas/finance")).toEqual({ path: "areas/finance", abstract: null, files: 1, subfolders: 1 });
      expect(result.folders.find((f) => f.path === "areas/finance/taxes")?.abstract).toBe("Tax filings");
      const long = result.folders.find((f) => f.path === "areas/long")?.abstract;
      expect(long).toHaveLength(300);
      expect(long?.endsWith("…")).toBe(true);
    } finally {
      await rm(path.join(hub, "areas", "finance"), { recursive: true });
      await rm(path.join(hub, "areas", "long"), { recursive: true });
    }
  });

  it("refuses a file with a pointer to the tiers that read files", async () => {
    const error = await failure(readContext(hub, { tier: "abstracts", path: "soul.md", depth: 2, includeArchive: false }));
    expect(error.code).toBe("bad_request");
    expect(error.message).toContain('tier "overview"');
  });
});

describe("overview", () => {
  it("returns a folder's overview.md, abstract and entries with sizes and modification times", async () => {
    const result = narrow(await readContext(hub, { tier: "overview", path: "areas/clients", includeArchive: false }), "overview");
    if (result.kind !== "folder") throw new Error("expected a folder");
    expect(result.overview).toBe(SEED_FILES["areas/clients/overview.md"]);
    expect(result.abstract).toBe(SEED_FILES["areas/clients/abstract.md"]!.trim());
    expect(result.folders).toEqual([]);
    expect(result.files.map((f) => f.path)).toEqual(["areas/clients/harbor-dental.md", "areas/clients/northwind-freight.md"]);
    const northwind = await stat(path.join(hub, "areas/clients/northwind-freight.md"));
    expect(result.files[1]).toEqual({
      path: "areas/clients/northwind-freight.md",
      bytes: northwind.size,
      modifiedAt: northwind.mtime.toISOString(),
    });
    expect(result.omitted).toBe(0);
  });

  it("lists the root's folders with their abstracts, archive only when asked, and null for a missing overview", async () => {
    const root = narrow(await readContext(hub, { tier: "overview", path: "", includeArchive: false }), "overview");
    if (root.kind !== "folder") throw new Error("expected a folder");
    expect(root.files.map((f) => f.path)).toEqual(["soul.md"]);
    expect(root.folders.map((f) => f.path)).not.toContain("archive");
    expect(root.folders.find((f) => f.path === "inbox")).toEqual({ path: "inbox", abstract: SEED_FILES["inbox/abstract.md"]!.trim(), files: 1 });
    const withArchive = narrow(await readContext(hub, { tier: "overview", path: "", includeArchive: true }), "overview");
    if (withArchive.kind !== "folder") throw new Error("expected a folder");
    expect(withArchive.folders.map((f) => f.path)).toContain("archive");

    const inbox = narrow(await readContext(hub, { tier: "overview", path: "inbox", includeArchive: false }), "overview");
    expect(inbox).toMatchObject({ kind: "folder", overview: null });
  });

  it("gives a file's front matter and first lines", async () => {
    const result = narrow(await readContext(hub, { tier: "overview", path: "identity/goals.md", includeArchive: false }), "overview");
    if (result.kind !== "file") throw new Error("expected a file");
    expect(result.frontMatter).toEqual({ reviewed: "2025-01-05", horizon: "this year" });
    expect(result.head).toBe(SEED_FILES["identity/goals.md"]!.split("---\n")[2]!.trim());
    expect(result.headTruncated).toBe(false);
  });

  it("stops a long file's head at 30 lines", async () => {
    const lines = Array.from({ length: 50 }, (_, i) => `line ${i + 1}`);
    await writeFile(path.join(hub, "knowledge", "long.txt"), `${lines.join("\n")}\n`);
    const result = narrow(await readContext(hub, { tier: "overview", path: "knowledge/long.txt", includeArchive: false }), "overview");
    expect(result).toMatchObject({ kind: "file", frontMatter: null, head: lines.slice(0, 30).join("\n"), headTruncated: true });
  });
});

describe("full", () => {
  it("returns a markdown file's body with its front matter parsed", async () => {
    const result = narrow(await readContext(hub, { tier: "full", path: "areas/clients/northwind-freight.md" }), "full");
    expect(result.frontMatter).toEqual({ client: "Northwind Freight", status: "active", retainer: "2 days a month", since: "2024-09" });
    expect(result.content.startsWith("# Northwind Freight\n")).toBe(true);
    expect(result.content).toContain("92% agreement");
    expect(result.truncated).toBe(false);
    expect(result.bytes).toBe(Buffer.byteLength(SEED_FILES["areas/clients/northwind-freight.md"]!));
  });

  it("returns soul.md whole, and other text formats without front matter parsing", async () => {
    const soul = narrow(await readContext(hub, { tier: "full", path: "soul.md" }), "full");
    expect(soul).toMatchObject({ content: SEED_FILES["soul.md"], frontMatter: null, truncated: false });
    await writeFile(path.join(hub, "knowledge", "rates.json"), '{"day": 1200}\n');
    const json = narrow(await readContext(hub, { tier: "full", path: "knowledge/rates.json" }), "full");
    expect(json).toMatchObject({ content: '{"day": 1200}\n', frontMatter: null });
  });

  it("keeps front matter that is not valid YAML in the content", async () => {
    const text = "---\ntitle: [unclosed\n---\n# Body\n";
    await writeFile(path.join(hub, "knowledge", "broken.md"), text);
    expect(narrow(await readContext(hub, { tier: "full", path: "knowledge/broken.md" }), "full")).toMatchObject({ frontMatter: null, content: text });
  });

  it("cuts a file over 256 KB and says so, without splitting a character", async () => {
    // "é" is two bytes; an odd-length prefix puts one straddling the limit.
    const text = `a${"é".repeat(MAX_FULL_BYTES)}`;
    await writeFile(path.join(hub, "knowledge", "big.md"), text);
    const result = narrow(await readContext(hub, { tier: "full", path: "knowledge/big.md" }), "full");
    expect(result.truncated).toBe(true);
    expect(result.bytes).toBe(Buffer.byteLength(text));
    expect(Buffer.byteLength(result.content)).toBe(MAX_FULL_BYTES - 1);
    expect(result.content).not.toContain("\uFFFD");
    expect(text.startsWith(result.content)).toBe(true);
  });

  it("refuses folders and files that are not text", async () => {
    expect((await failure(readContext(hub, { tier: "full", path: "areas" }))).code).toBe("bad_request");
    await writeFile(path.join(hub, "knowledge", "photo.png"), Buffer.from([0x89, 0x50, 0x4e, 0x47]));
    const error = await failure(readContext(hub, { tier: "full", path: "knowledge/photo.png" }));
    expect(error.code).toBe("bad_request");
    expect(error.message).toContain("not a text file");
  });
});
