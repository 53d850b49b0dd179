import { createHash, randomBytes } from "node:crypto";
import { lstat, mkdir, readFile, realpath, rename, unlink, writeFile } from "node:fs/promises";
import path from "node:path";
import { AppError } from "@/lib/errors";
import { ensureHubRoot, isHidden, isTextFile } from "./layout";
import { normaliseHubPath, realHubRoot } from "./paths";
import { MAX_FULL_BYTES } from "./read-context";

// Writing one text file of the hub (the dashboard's editor, agents through context.write). The
// path passes the same checks as every read; the folder it lands in, with every link followed, must
// be inside the hub, and so must an existing file it replaces. The new content goes to a hidden
// temporary file that is then renamed over the target, so readers never see half a file.

export const MAX_WRITE_BYTES = MAX_FULL_BYTES;

export type WriteFileRequest = {
  path: string;
  content: string;
  /**
   * Optimistic concurrency: undefined replaces whatever is there; null only creates (the file must
   * not exist); a sha256 only replaces the file whose current content has that hash.
   */
  expectedSha256?: string | null;
};

export type WriteFileResult = { path: string; bytes: number; sha256: string; created: boolean; previousSha256: string | null };

export function sha256(text: string | Buffer): string {
  return createHash("sha256").update(text).digest("hex");
}

/** Inside the root and, links followed, not in a hidden file or folder (which are not part of the hub). */
function insideRoot(rootReal: string, real: string): boolean {
  const fromRoot = path.relative(rootReal, real);
  if (fromRoot === ".." || fromRoot.startsWith(`..${path.sep}`) || path.isAbsolute(fromRoot)) return false;
  return !fromRoot.split(path.sep).some(isHidden);
}

/** Creates the missing folders of `relative` under the root, refusing any that escapes through a link. */
async function ensureFolder(rootReal: string, segments: string[], input: string): Promise<string> {
  let current = rootReal;
  for (const segment of segments) {
    const next = path.join(current, segment);
    await mkdir(next).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== "EEXIST") throw error;
    });
    const real = await realpath(next);
    if (!insideRoot(rootReal, real)) throw new AppError("forbidden", `The path ${JSON.stringify(input)} is outside the context hub`);
    if (!(await lstat(real)).isDirectory()) {
      throw new AppError("conflict", `${JSON.stringify(segments.join("/"))} is a file, not a folder`);
    }
    current = real;
  }
  return current;
}

async function currentContent(absolute: string): Promise<Buffer | null> {
  try {
    return await readFile(absolute);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return null;
    throw error;
  }
}

export async function writeHubFile(root: string, request: WriteFileRequest): Promise<WriteFileResult> {
  const relative = normaliseHubPath(request.path);
  if (!relative) throw new AppError("bad_request", "Name a file to write, e.g. \"knowledge/notes.md\"");
  if (!isTextFile(relative)) {
    throw new AppError("bad_request", `"${relative}" is not a text file; the context hub writes .md, .markdown, .txt, .json, .yaml, .yml and .csv files`);
  }
  const bytes = Buffer.byteLength(request.content);
  if (bytes > MAX_WRITE_BYTES) throw new AppError("payload_too_large", `The file would be ${bytes} bytes; the limit is ${MAX_WRITE_BYTES}`);

  await ensureHubRoot(root);
  const rootReal = await realHubRoot(root);
  const segments = relative.split("/");
  const name = segments.pop()!;
  const folder = await ensureFolder(rootReal, segments, request.path);
  let target = path.join(folder, name);

  // An existing name may be a link; what it points to must be a regular file inside the hub.
  const existing = await lstat(target).catch(() => null);
  if (existing) {
    const real = await realpath(target).catch(() => null);
    if (!real || !insideRoot(rootReal, real)) throw new AppError("forbidden", `The path ${JSON.stringify(request.path)} is outside the context hub`);
    if (!(await lstat(real)).isFile()) throw new AppError("conflict", `"${relative}" is a folder, not a file`);
    if (!isTextFile(real)) throw new AppError("bad_request", `"${relative}" leads to a file that is not text`);
    target = real;
  }

  const before = await currentContent(target);
  const previousSha256 = before ? sha256(before) : null;
  if (request.expectedSha256 === null && before) throw new AppError("conflict", `"${relative}" already exists; open it to edit it`);
  if (typeof request.expectedSha256 === "string" && previousSha256 !== request.expectedSha256) {
    throw new AppError(
      "conflict",
      before
        ? `"${relative}" changed since it was opened; reload it and apply your edit again`
        : `"${relative}" no longer exists; it was moved or deleted since it was opened`,
    );
  }

  const temp = path.join(path.dirname(target), `.write-${randomBytes(8).toString("hex")}.tmp`);
  await writeFile(temp, request.content, { flag: "wx" });
  try {
    await rename(temp, target);
  } catch (error) {
    await unlink(temp).catch(() => undefined);
    throw error;
  }
  return { path: relative, bytes, sha256: sha256(request.content), created: before === null, previousSha256 };
}
