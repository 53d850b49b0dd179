import { randomBytes } from "node:crypto";
import { link, readdir, unlink, writeFile } from "node:fs/promises";
import path from "node:path";
import { stringify } from "yaml";
import { AppError } from "@/lib/errors";
import { INBOX_FOLDER, ensureHubRoot, isMarkdownFile } from "./layout";
import { resolveHubPath } from "./paths";
import { readTextHead, splitFrontMatter } from "./text-file";

// Captures a note into inbox/ as `<YYYY-MM-DD>-<slug>.md` with YAML front matter. The note is
// written to a hidden temporary file and then hard-linked to its name: the link fails if the name
// is taken (so concurrent captures of one title get -2, -3 …) and nobody ever sees half a note.
//
// A capture that is one piece of work retried (a webhook delivery or schedule slot run again after
// a crash) carries its work key in the front matter (`work_key`): the retry finds the note the
// crashed attempt wrote and returns it instead of writing a second one.

export const MAX_SLUG_CHARS = 60;
const MAX_SUFFIX = 1000;

export type CaptureNoteRequest = { title: string; body: string; tags: string[]; source?: string };
export type CaptureNoteContext = { capturedBy: string; runId: string; workKey?: string | null; now?: Date };
export type CaptureNoteResult = { path: string; bytes: number; createdAt: string };

/** ASCII, lowercase, hyphenated, at most 60 characters; "note" when nothing is left. */
export function slugify(title: string): string {
  const slug = title
    .normalize("NFKD")
    .replace(/\p{M}/gu, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, MAX_SLUG_CHARS)
    .replace(/-+$/, "");
  return slug || "note";
}

export function renderNote(request: CaptureNoteRequest, context: CaptureNoteContext & { createdAt: string }): string {
  const frontMatter: Record<string, unknown> = {
    title: request.title,
    created: context.createdAt,
    tags: request.tags,
    ...(request.source ? { source: request.source } : {}),
    captured_by: context.capturedBy,
    run_id: context.runId,
    ...(context.workKey ? { work_key: context.workKey } : {}),
  };
  const body = request.body.trim();
  return `---\n${stringify(frontMatter).trimEnd()}\n---\n\n# ${request.title}\n${body ? `\n${body}\n` : ""}`;
}

function isCode(error: unknown, ...codes: string[]): boolean {
  return codes.includes((error as NodeJS.ErrnoException | null)?.code ?? "");
}

/** Publishes `temp` under `target` without ever replacing an existing file; false when the name is taken. */
export async function publish(temp: string, target: string, content: string): Promise<boolean> {
  try {
    await link(temp, target);
    return true;
  } catch (error) {
    if (isCode(error, "EEXIST")) return false;
    // Some mounted file systems refuse hard links; exclusive create is still race-safe.
    if (!isCode(error, "EPERM", "ENOTSUP", "EOPNOTSUPP", "EXDEV", "EMLINK")) throw error;
  }
  try {
    await writeFile(target, content, { flag: "wx" });
    return true;
  } catch (error) {
    if (isCode(error, "EEXIST")) return false;
    throw error;
  }
}

const FRONT_MATTER_BYTES = 4096;

/** The inbox note an earlier attempt at the same work wrote, if any. */
async function findNoteOfWork(inbox: string, workKey: string): Promise<CaptureNoteResult | null> {
  for (const name of await readdir(inbox)) {
    if (!isMarkdownFile(name) || name.startsWith(".")) continue;
    try {
      const head = await readTextHead(path.join(inbox, name), FRONT_MATTER_BYTES);
      if (!head.text.includes(workKey)) continue;
      const { frontMatter } = splitFrontMatter(head.text);
      if (frontMatter?.work_key !== workKey) continue;
      const created = frontMatter.created;
      const full = await readTextHead(path.join(inbox, name), 1 << 20);
      return {
        path: `${INBOX_FOLDER}/${name}`,
        bytes: Buffer.byteLength(full.text),
        createdAt: typeof created === "string" ? created : created instanceof Date ? created.toISOString() : new Date(0).toISOString(),
      };
    } catch {
      continue; // removed meanwhile, or unreadable: not ours
    }
  }
  return null;
}

export async function captureNote(root: string, request: CaptureNoteRequest, context: CaptureNoteContext): Promise<CaptureNoteResult> {
  await ensureHubRoot(root);
  // inbox/ itself must be a real folder inside the hub, not a link to somewhere else.
  const inbox = await resolveHubPath(root, INBOX_FOLDER);
  if (inbox.kind !== "folder") throw new AppError("conflict", "inbox in the context hub is a file, not a folder");

  if (context.workKey) {
    const earlier = await findNoteOfWork(inbox.absolute, context.workKey);
    if (earlier) return earlier;
  }

  const createdAt = (context.now ?? new Date()).toISOString();
  const content = renderNote(request, { ...context, createdAt });
  const base = `${createdAt.slice(0, 10)}-${slugify(request.title)}`;
  const temp = path.join(inbox.absolute, `.capture-${randomBytes(8).toString("hex")}.tmp`);
  await writeFile(temp, content, { flag: "wx" });
  try {
    for (let suffix = 1; suffix <= MAX_SUFFIX; suffix += 1) {
      const name = suffix === 1 ? `${base}.md` : `${base}-${suffix}.md`;
      if (await publish(temp, path.join(inbox.absolute, name), content)) {
        return { path: `${INBOX_FOLDER}/${name}`, bytes: Buffer.byteLength(content), createdAt };
      }
    }
    throw new AppError("conflict", `inbox already holds ${MAX_SUFFIX} notes named ${base}; pick another title`);
  } finally {
    await unlink(temp).catch(() => undefined);
  }
}
