import { randomUUID } from "node:crypto";
import { statSync } from "node:fs";
import { mkdir, readFile, rename, unlink, writeFile } from "node:fs/promises";
import path from "node:path";
import { stringify } from "yaml";
import { AppError } from "@/lib/errors";
import { publish, slugify } from "./capture-note";
import { ABSTRACT_FILE, OVERVIEW_FILE, ensureHubRoot, isMarkdownFile, isTierFile } from "./layout";
import { normaliseHubPath, realHubRoot } from "./paths";
import { readTextHead, splitFrontMatter } from "./text-file";
import { listFolder } from "./walk";
import { processGlobal } from "@/lib/process-global";

// Writes what an agent job produced into the context hub, exactly once per job: the note is named
// `<date>-<slug>.md` in its folder and carries the job id in its front matter. Writing it again
// for the same job finds the note (the name is taken by a note with this job id) and writes
// nothing; another job with the same title and date gets the tail of its job id appended, so at
// most two names are ever tried. The folder's abstract.md and overview.md are then rebuilt from the
// notes in it (the newest 100 in the overview), so the tiers stay current.
//
// This runs after every agent job of those kinds, so the file system work per job is kept small:
// a folder is resolved (hub root made, symbolic links followed, folder made) once per process and
// made again only when it turns out to be gone; the notes' overview lines are cached and checked
// with one synchronous stat each (a few µs, where an asynchronous one costs tens of µs of CPU in
// the thread pool hand-off), a note just written is described from what was written instead of
// read back; and a tier file whose content would not change is not rewritten.

export type JobNote = {
  /** Hub-relative folder, e.g. knowledge/research. */
  folder: string;
  jobId: string;
  title: string;
  /** YYYY-MM-DD of the note's name. */
  date: string;
  frontMatter: Record<string, unknown>;
  body: string;
};

export type JobNoteResult = { path: string; created: boolean; bytes: number };

const OVERVIEW_NOTES = 100;
const FRONT_MATTER_BYTES = 4096;

const frontMatterOf = (note: JobNote) => ({ title: note.title, ...note.frontMatter, job_id: note.jobId });

export function renderJobNote(note: JobNote): string {
  return `---\n${stringify(frontMatterOf(note)).trimEnd()}\n---\n\n# ${note.title}\n\n${note.body.trim()}\n`;
}

type Folder = { relative: string; absolute: string };

/** Folders already resolved and made in this process, by root and folder as given. */
const folders = processGlobal("context-hub.job-note-folders", () => new Map<string, Folder>());

/** The folder, made if missing; `fresh` resolves and makes it again instead of trusting the cache. */
async function folderOf(root: string, folder: string, fresh = false): Promise<Folder> {
  const key = `${root}\0${folder}`;
  const known = fresh ? undefined : folders.get(key);
  if (known) return known;
  await ensureHubRoot(root);
  const relative = normaliseHubPath(folder);
  const absolute = path.join(await realHubRoot(root), relative);
  await mkdir(absolute, { recursive: true });
  const resolved = { relative, absolute };
  folders.set(key, resolved);
  return resolved;
}

const isMissing = (error: unknown) => (error as NodeJS.ErrnoException | null)?.code === "ENOENT";

/**
 * Runs `work` in the folder. A folder resolved earlier may have been removed since (by hand, or
 * the whole hub): then it is made again and `work` runs once more.
 */
async function inFolder<T>(root: string, folder: string, work: (folder: Folder) => Promise<T>): Promise<T> {
  const known = await folderOf(root, folder);
  try {
    return await work(known);
  } catch (error) {
    if (!isMissing(error)) throw error;
    return work(await folderOf(root, folder, true));
  }
}

/**
 * The job each note this process wrote or read belongs to, while the file stays the one it was
 * (same inode, time and size; one stat): the next job with the same title and date finds the first
 * name taken without trying it and reading the note there. Bounded: dropped in bulk.
 */
const noteJobIds = processGlobal("context-hub.note-job-ids", () => new Map<string, FileIdentity & { jobId: string | null }>());
const MAX_NOTE_JOB_IDS = 1000;

function rememberJobId(file: string, jobId: string | null, info = statSyncOrNull(file)): void {
  if (!info) return;
  if (noteJobIds.size >= MAX_NOTE_JOB_IDS) noteJobIds.clear();
  noteJobIds.set(file, { ino: info.ino, mtimeMs: info.mtimeMs, size: info.size, jobId });
}

/** The job of the note at `file` as remembered (undefined when not known, or the file changed since). */
function knownJobIdOf(file: string): string | null | undefined {
  const known = noteJobIds.get(file);
  if (!known) return undefined;
  const info = statSyncOrNull(file);
  if (info && sameFile(info, known)) return known.jobId;
  noteJobIds.delete(file);
  return undefined;
}

async function jobIdOf(file: string): Promise<string | null> {
  let jobId: string | null = null;
  try {
    const { frontMatter } = splitFrontMatter((await readTextHead(file, FRONT_MATTER_BYTES)).text);
    jobId = typeof frontMatter?.job_id === "string" ? frontMatter.job_id : null;
  } catch {
    return null;
  }
  rememberJobId(file, jobId);
  return jobId;
}

export async function writeJobNote(root: string, note: JobNote): Promise<JobNoteResult> {
  const content = renderJobNote(note);
  return inFolder(root, note.folder, (folder) => writeNoteIn(folder, note, content));
}

async function writeNoteIn({ relative, absolute }: Folder, note: JobNote, content: string): Promise<JobNoteResult> {
  const base = `${note.date}-${slugify(note.title)}`;
  // Temporary names only need to be unique: randomUUID draws from a cache, where randomBytes
  // costs a call to the system's generator (about 10 µs) each time.
  const temp = path.join(absolute, `.job-${randomUUID()}.tmp`);
  await writeFile(temp, content, { flag: "wx" });
  try {
    for (const name of [`${base}.md`, `${base}-${note.jobId.slice(-8)}.md`]) {
      const target = path.join(absolute, name);
      const known = knownJobIdOf(target);
      if (known === undefined && (await publish(temp, target, content))) {
        remember(target, note);
        return { path: `${relative}/${name}`, created: true, bytes: Buffer.byteLength(content) };
      }
      if ((known === undefined ? await jobIdOf(target) : known) === note.jobId) {
        return { path: `${relative}/${name}`, created: false, bytes: Buffer.byteLength(await readFile(target)) };
      }
    }
    throw new AppError("conflict", `${relative} already holds notes named ${base} from other jobs`);
  } finally {
    await unlink(temp).catch(() => undefined);
  }
}

type FileIdentity = { ino: number; mtimeMs: number; size: number };
const sameFile = (a: FileIdentity, b: FileIdentity) => a.ino === b.ino && a.mtimeMs === b.mtimeMs && a.size === b.size;

/**
 * Notes this process just published, until a rebuild lists them: their overview line is made from
 * the front matter written, not read back from disk and parsed, as long as the file is still the one written
 * (same inode, time and size). Bounded: entries nobody lists are dropped in bulk.
 */
const published = processGlobal("context-hub.published-notes", () => new Map<string, FileIdentity & { frontMatter: Record<string, unknown> }>());
const MAX_PUBLISHED = 1000;

function remember(file: string, note: JobNote): void {
  const info = statSyncOrNull(file);
  if (!info) return;
  rememberJobId(file, note.jobId, info);
  if (published.size >= MAX_PUBLISHED) published.clear();
  // As a read back would give it: YAML has no undefined, and Dates come back as strings.
  const frontMatter = JSON.parse(JSON.stringify(frontMatterOf(note))) as Record<string, unknown>;
  published.set(file, { ino: info.ino, mtimeMs: info.mtimeMs, size: info.size, frontMatter });
}

export type FolderIndex = {
  folder: string;
  /** "Research briefs agents wrote" — the abstract's subject. */
  subject: string;
  heading: string;
  /** One line per note for the overview, from its front matter. */
  describe(frontMatter: Record<string, unknown>, name: string): string;
};

const rebuilds = processGlobal("context-hub.rebuilds", () => new Map<string, { running: Promise<void>; again: boolean }>());

/**
 * Rebuilds the folder's abstract.md (one line) and overview.md (the newest notes first). Calls
 * that arrive while a rebuild of the folder is running share one more rebuild after it.
 */
export async function refreshFolderIndex(root: string, index: FolderIndex): Promise<void> {
  const { absolute } = await folderOf(root, index.folder);
  const current = rebuilds.get(absolute);
  if (current) {
    current.again = true;
    return current.running;
  }
  const state = { running: Promise.resolve(), again: false };
  state.running = (async () => {
    try {
      do {
        state.again = false;
        await inFolder(root, index.folder, (folder) => rebuildIndex(folder.absolute, index));
      } while (state.again);
    } finally {
      rebuilds.delete(absolute);
    }
  })();
  rebuilds.set(absolute, state);
  return state.running;
}

/**
 * Each listed note's overview line, kept per folder while the note's size and modification time stay
 * the same: a rebuild after every job would otherwise open and parse the newest hundred notes each
 * time (most of a result handler's cost once a folder is full); a stat tells whether one changed.
 */
const overviewLines = processGlobal("context-hub.overview-lines", () => new Map<string, Map<string, { mtimeMs: number; size: number; line: string }>>());

async function overviewLine(absolute: string, name: string, index: FolderIndex, cache: Map<string, { mtimeMs: number; size: number; line: string }>): Promise<string> {
  const file = path.join(absolute, name);
  // Synchronous: one stat is a few µs (a hundred of them well under a millisecond), where the
  // asynchronous one costs ten times the CPU in the thread pool hand-off.
  const info = statSyncOrNull(file);
  const cached = cache.get(name);
  if (info && cached && cached.mtimeMs === info.mtimeMs && cached.size === info.size) return cached.line;
  const written = published.get(file);
  published.delete(file);
  const frontMatter =
    written && info && sameFile(written, info)
      ? written.frontMatter
      : splitFrontMatter(await readTextHead(file, FRONT_MATTER_BYTES).then((r) => r.text, () => "")).frontMatter;
  const line = `- [${name}](${name}) — ${index.describe(frontMatter ?? {}, name)}`;
  if (info) cache.set(name, { mtimeMs: info.mtimeMs, size: info.size, line });
  return line;
}

async function rebuildIndex(absolute: string, index: FolderIndex): Promise<void> {
  const names = (await listFolder(absolute)).files.filter((name) => isMarkdownFile(name) && !isTierFile(name)).sort().reverse();
  const listed = names.slice(0, OVERVIEW_NOTES);
  const cache = overviewLines.get(absolute) ?? new Map();
  overviewLines.set(absolute, cache);
  const lines: string[] = [];
  for (const name of listed) lines.push(await overviewLine(absolute, name, index, cache));
  const keep = new Set(listed);
  for (const name of cache.keys()) if (!keep.has(name)) cache.delete(name);
  if (names.length > OVERVIEW_NOTES) lines.push(`- … and ${names.length - OVERVIEW_NOTES} older notes`);
  const latest = names[0] ? `; latest ${names[0].slice(0, 10)}` : "";
  const abstract = `${index.subject}: ${names.length} note${names.length === 1 ? "" : "s"}${latest}.\n`;
  const overview = [
    `# ${index.heading}`,
    "",
    "Rebuilt by Personal Automations whenever an agent's result lands here; edit the notes, not this list.",
    "",
    ...(lines.length ? lines : ["Nothing yet."]),
    "",
  ].join("\n");
  await writeTierFile(path.join(absolute, ABSTRACT_FILE), abstract);
  await writeTierFile(path.join(absolute, OVERVIEW_FILE), overview);
}

function statSyncOrNull(file: string) {
  try {
    return statSync(file, { throwIfNoEntry: false }) ?? null;
  } catch {
    return null;
  }
}

type Written = FileIdentity & { content: string };

/**
 * What this process last wrote to each tier file, and the file it became: a rebuild that would
 * write the same again (a repeated or coalesced rebuild with no new note) leaves the file alone,
 * unless it was changed or removed since (then its inode, time or size differ).
 */
const tierFiles = processGlobal("context-hub.tier-files", () => new Map<string, Written>());

async function writeTierFile(target: string, content: string): Promise<void> {
  const last = tierFiles.get(target);
  if (last?.content === content) {
    const info = statSyncOrNull(target);
    if (info && sameFile(info, last)) return;
  }
  tierFiles.delete(target);
  await writeAtomically(target, content);
  const info = statSyncOrNull(target);
  if (info) tierFiles.set(target, { content, ino: info.ino, mtimeMs: info.mtimeMs, size: info.size });
}

/** Readers never see half a file: write beside it, then rename over it. */
async function writeAtomically(target: string, content: string): Promise<void> {
  const temp = `${path.dirname(target)}/.index-${randomUUID()}.tmp`;
  await writeFile(temp, content);
  await rename(temp, target);
}
