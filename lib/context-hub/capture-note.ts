import { randomBytes } from "node:crypto";
import { link, unlink, writeFile } from "node:fs/promises";
import path from "node:path";
import { stringify } from "yaml";
import { AppError } from "@/lib/errors";
import { INBOX_FOLDER, ensureHubRoot } from "./layout";
import { resolveHubPath } from "./paths";

// Captures a note into inbox/ as `<YYYY-MM-DD>-<slug>.md` with YAML front matter. The note is
// written to a hidden temporary file and then hard-linked to its name: the link fails if the name
// is taken (so concurrent captures of one title get -2, -3 …) and nobody ever sees half a note.

export const MAX_SLUG_CHARS = 60;
const MAX_SUFFIX = 1000;

export type CaptureNoteRequest = { title: string; body: string; tags: string[]; source?: string };
export type CaptureNoteContext = { capturedBy: string; runId: string; now?: Date };
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

export async function captureNote(root: string, request: CaptureNoteRequest, context: CaptureNoteContext): Promise<CaptureNoteResult> {
  await ensureHubRoot(root);
  // inbox/ itself must be a real folder inside the hub, not a link to somewhere else.
  const inbox = await resolveHubPath(root, INBOX_FOLDER);
  if (inbox.kind !== "folder") throw new AppError("conflict", "inbox in the context hub is a file, not a folder");

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
