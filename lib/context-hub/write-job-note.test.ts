import { mkdtemp, readFile, rm, unlink, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { refreshFolderIndex, writeJobNote } from "@/lib/context-hub/write-job-note";

let root: string;
const folder = "areas/content/drafts";
const index = { folder, subject: "Drafts", heading: "Drafts", describe: (fm: Record<string, unknown>, name: string) => String(fm.title ?? name) };
const overview = () => readFile(path.join(root, folder, "overview.md"), "utf8");

beforeEach(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), "pa-hub-index-"));
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

describe("refreshFolderIndex", () => {
  it("lists the notes newest first, and follows a note that was edited or removed since the last rebuild", async () => {
    const first = await writeJobNote(root, { folder, jobId: "job_1", title: "First", date: "2026-12-01", frontMatter: {}, body: "One" });
    await writeJobNote(root, { folder, jobId: "job_2", title: "Second", date: "2026-12-02", frontMatter: {}, body: "Two" });
    await refreshFolderIndex(root, index);
    expect(await overview()).toMatch(/Second[\s\S]*First/);

    // The owner renames the first draft in its front matter (the file's size and time change).
    const file = path.join(root, first.path);
    await writeFile(file, (await readFile(file, "utf8")).replace("title: First", "title: First, edited by hand"));
    await refreshFolderIndex(root, index);
    expect(await overview()).toContain("First, edited by hand");

    await unlink(file);
    await refreshFolderIndex(root, index);
    expect(await overview()).not.toContain("First");
    expect(await readFile(path.join(root, folder, "abstract.md"), "utf8")).toContain("1 note;");
  });
});
