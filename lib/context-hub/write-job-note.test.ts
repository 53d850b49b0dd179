import { mkdtemp, readFile, readdir, rm, stat, unlink, writeFile } from "node:fs/promises";
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

describe("writing job notes", () => {
  const note = (n: number) => ({ folder, jobId: `job_${n}`, title: `Note ${n}`, date: "2026-12-03", frontMatter: {}, body: `Body ${n}` });

  it("makes the folder again when it was removed after an earlier write, and the index with it", async () => {
    await writeJobNote(root, note(1));
    await refreshFolderIndex(root, index);
    await rm(path.join(root, folder), { recursive: true });
    expect((await writeJobNote(root, note(2))).created).toBe(true);
    await refreshFolderIndex(root, index);
    expect(await overview()).toContain("Note 2");
    expect(await overview()).not.toContain("Note 1");

    // The folder goes between the note and the index: the index is still rebuilt (empty).
    await rm(path.join(root, folder), { recursive: true });
    await refreshFolderIndex(root, index);
    expect(await overview()).toContain("Nothing yet.");

    // The whole hub goes: made again, top-level folders included.
    await rm(root, { recursive: true });
    expect((await writeJobNote(root, note(3))).created).toBe(true);
    await refreshFolderIndex(root, index);
    expect(await overview()).toContain("Note 3");
    expect(await readdir(root)).toEqual(expect.arrayContaining(["areas", "inbox", "knowledge"]));
  });

  it("writes the same job's note once, and leaves unchanged tiers alone unless they were touched since", async () => {
    const first = await writeJobNote(root, note(1));
    await refreshFolderIndex(root, index);
    const file = path.join(root, folder, "overview.md");
    const written = await stat(file);
    const again = await writeJobNote(root, note(1));
    expect(again).toEqual({ ...first, created: false });
    await refreshFolderIndex(root, index);
    expect((await stat(file)).ino).toBe(written.ino);

    // Edited by hand: rebuilt. Removed: rebuilt.
    await writeFile(file, "scribbles\n");
    await refreshFolderIndex(root, index);
    expect(await overview()).toContain("Note 1");
    await unlink(file);
    await unlink(path.join(root, folder, "abstract.md"));
    await refreshFolderIndex(root, index);
    expect(await overview()).toContain("Note 1");
    expect(await readFile(path.join(root, folder, "abstract.md"), "utf8")).toContain("1 note;");

    // A new note changes both.
    await writeJobNote(root, note(2));
    await refreshFolderIndex(root, index);
    expect(await overview()).toMatch(/Note 2[\s\S]*Note 1/);
  });

  it("names a second job's note with the same title and date apart, and knows whose note a name holds after an edit", async () => {
    const sameTitle = (jobId: string) => ({ folder, jobId, title: "Weekly", date: "2026-12-07", frontMatter: {}, body: "Body" });
    const first = await writeJobNote(root, sameTitle("job_01aaaaaaaaaaaaaaaaaaaaaaaa"));
    const second = await writeJobNote(root, sameTitle("job_01bbbbbbbbbbbbbbbbbbbbbbbb"));
    expect([first.path, second.path]).toEqual([`${folder}/2026-12-07-weekly.md`, `${folder}/2026-12-07-weekly-bbbbbbbb.md`]);
    expect(await writeJobNote(root, sameTitle("job_01bbbbbbbbbbbbbbbbbbbbbbbb"))).toMatchObject({ path: second.path, created: false });

    // The first note handed to the second job by hand: the second job's note is now that one.
    const file = path.join(root, first.path);
    await writeFile(file, (await readFile(file, "utf8")).replace("job_01aaaaaaaaaaaaaaaaaaaaaaaa", "job_01bbbbbbbbbbbbbbbbbbbbbbbb"));
    expect(await writeJobNote(root, sameTitle("job_01bbbbbbbbbbbbbbbbbbbbbbbb"))).toMatchObject({ path: first.path, created: false });
  });

  it("describes a note edited by hand before the first rebuild as edited, not as written", async () => {
    const written = await writeJobNote(root, note(1));
    const file = path.join(root, written.path);
    await writeFile(file, (await readFile(file, "utf8")).replace("title: Note 1", "title: Renamed by hand"));
    await refreshFolderIndex(root, index);
    expect(await overview()).toContain("Renamed by hand");
    expect(await overview()).not.toContain("Note 1");
  });

  it("includes every note in the index once concurrent writers' refreshes settle", async () => {
    await Promise.all(
      Array.from({ length: 12 }, async (_, n) => {
        await writeJobNote(root, note(n));
        await refreshFolderIndex(root, index);
        // When a writer's refresh settles, its own note is listed.
        expect(await overview()).toContain(`Note ${n}`);
      }),
    );
    expect(await readFile(path.join(root, folder, "abstract.md"), "utf8")).toContain("12 notes;");
  });
});
