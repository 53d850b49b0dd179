import { open, type FileHandle } from "node:fs/promises";
import path from "node:path";
import { isInArchive, isTextFile } from "./layout";
import { realHubRoot, resolveHubPath } from "./paths";
import { listTextFiles } from "./walk";

// Plain-text search over the hub's text files: no regular expressions, so a query is never a
// pattern an agent has to escape, and no query can be slow. Files are read a few at a time, in
// path order, until the limit is passed.

export const MAX_SEARCH_FILE_BYTES = 1024 * 1024;
export const SNIPPET_CHARS = 200;
const READ_CONCURRENCY = 32;

export type SearchRequest = { query: string; path: string; limit: number; caseSensitive: boolean; includeArchive: boolean };
export type SearchMatch = { path: string; line: number; snippet: string };
export type SearchResult = { matches: SearchMatch[]; filesScanned: number; truncated: boolean };

export async function searchContext(root: string, request: SearchRequest, signal?: AbortSignal): Promise<SearchResult> {
  const target = await resolveHubPath(root, request.path);
  let files: string[];
  if (target.kind === "file") {
    files = isTextFile(target.relative) ? [target.relative] : [];
  } else {
    files = await listTextFiles({
      absoluteRoot: target.absolute,
      relativeRoot: target.relative,
      includeArchive: request.includeArchive || isInArchive(target.relative),
      signal,
    });
  }

  const needle = request.caseSensitive ? request.query : request.query.toLowerCase();
  const matches: SearchMatch[] = [];
  let filesScanned = 0;
  // Listed paths are relative to the root, which may itself be behind a link.
  const base = target.kind === "file" ? null : await realHubRoot(root);

  for (let start = 0; start < files.length; start += READ_CONCURRENCY) {
    signal?.throwIfAborted();
    const batch = files.slice(start, start + READ_CONCURRENCY);
    const texts = await Promise.all(
      batch.map((relative) => readSearchable(base === null ? target.absolute : path.join(base, relative))),
    );
    for (const [index, text] of texts.entries()) {
      if (text === null) continue;
      filesScanned += 1;
      const haystack = request.caseSensitive ? text : text.toLowerCase();
      // Most files do not match at all; find that out without splitting them into lines.
      if (!haystack.includes(needle)) continue;
      const relative = batch[index]!;
      const lines = text.split("\n");
      const folded = request.caseSensitive ? lines : haystack.split("\n");
      for (let line = 0; line < lines.length; line += 1) {
        const column = folded[line]!.indexOf(needle);
        if (column === -1) continue;
        if (matches.length === request.limit) return { matches, filesScanned, truncated: true };
        matches.push({ path: relative, line: line + 1, snippet: snippetAround(lines[line]!, column, needle.length) });
      }
    }
  }
  return { matches, filesScanned, truncated: false };
}

/** The file's text, or null when it is too big, gone, or unreadable (search skips it). */
async function readSearchable(absolute: string): Promise<string | null> {
  let handle: FileHandle | undefined;
  try {
    handle = await open(absolute, "r");
    const stats = await handle.stat();
    if (!stats.isFile() || stats.size > MAX_SEARCH_FILE_BYTES) return null;
    return await handle.readFile("utf8");
  } catch {
    return null;
  } finally {
    await handle?.close();
  }
}

/** The line, trimmed; a long one is cut to about SNIPPET_CHARS characters around the match. */
export function snippetAround(line: string, column: number, length: number): string {
  const clean = line.replace(/\r$/, "");
  if (clean.trim().length <= SNIPPET_CHARS) return clean.trim();
  const before = Math.max(0, Math.floor((SNIPPET_CHARS - length) / 2));
  const start = Math.max(0, Math.min(column - before, clean.length - SNIPPET_CHARS));
  const end = Math.min(clean.length, start + SNIPPET_CHARS);
  return `${start > 0 ? "…" : ""}${clean.slice(start, end).trim()}${end < clean.length ? "…" : ""}`;
}
