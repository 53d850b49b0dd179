import { readdir } from "node:fs/promises";
import path from "node:path";
import { isHidden, isInArchive, isTextFile } from "./layout";

// Listing folders for the read tiers and search. Hidden entries are skipped, and so are symbolic
// links: a listing never follows a link, so it cannot loop or wander out of the hub (reading a
// path through a link is still possible, via resolveHubPath, when its target stays inside).

export type FolderListing = { files: string[]; folders: string[] };

/** The visible files and subfolders directly in `absolute`, each sorted by name. */
export async function listFolder(absolute: string): Promise<FolderListing> {
  const entries = await readdir(absolute, { withFileTypes: true });
  const files: string[] = [];
  const folders: string[] = [];
  for (const entry of entries) {
    if (isHidden(entry.name)) continue;
    if (entry.isDirectory()) folders.push(entry.name);
    else if (entry.isFile()) files.push(entry.name);
  }
  return { files: files.sort(compareNames), folders: folders.sort(compareNames) };
}

/** Code-unit order, so results are the same on every machine and locale. */
export function compareNames(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Joins hub-relative paths ("" is the root). */
export function joinRelative(parent: string, name: string): string {
  return parent ? `${parent}/${name}` : name;
}

export type TextFileWalk = { absoluteRoot: string; relativeRoot: string; includeArchive: boolean; signal?: AbortSignal };

/**
 * Every text file under a folder, as hub-relative paths sorted by path. archive/ is skipped unless
 * `includeArchive` or the walk starts inside it.
 */
export async function listTextFiles({ absoluteRoot, relativeRoot, includeArchive, signal }: TextFileWalk): Promise<string[]> {
  const skipArchive = !includeArchive && !isInArchive(relativeRoot);
  const found: string[] = [];
  const pending: { absolute: string; relative: string }[] = [{ absolute: absoluteRoot, relative: relativeRoot }];
  for (let next = pending.pop(); next; next = pending.pop()) {
    signal?.throwIfAborted();
    const { files, folders } = await listFolder(next.absolute);
    for (const name of files) if (isTextFile(name)) found.push(joinRelative(next.relative, name));
    for (const name of folders) {
      const relative = joinRelative(next.relative, name);
      if (skipArchive && isInArchive(relative)) continue;
      pending.push({ absolute: path.join(next.absolute, name), relative });
    }
  }
  return found.sort(compareNames);
}
