import { mkdir } from "node:fs/promises";
import path from "node:path";

// The shape of the context hub: a folder of markdown with six top-level folders. Each folder may
// hold a one-line abstract.md (tier 1) and an overview.md (tier 2); everything else is a full
// file (tier 3). archive/ holds stale material that agents stay out of unless asked.

export const HUB_FOLDERS = ["identity", "inbox", "areas", "projects", "knowledge", "archive"] as const;
export const ARCHIVE_FOLDER = "archive";
export const INBOX_FOLDER = "inbox";
export const SOUL_FILE = "soul.md";
export const ABSTRACT_FILE = "abstract.md";
export const OVERVIEW_FILE = "overview.md";

/** Files any tier may return as text; everything else is listed but never read. */
export const TEXT_EXTENSIONS: ReadonlySet<string> = new Set([".md", ".markdown", ".txt", ".json", ".yaml", ".yml", ".csv"]);
const MARKDOWN_EXTENSIONS: ReadonlySet<string> = new Set([".md", ".markdown"]);

/** Hidden entries (.git, .obsidian, editor swap files) are not part of the hub. */
export function isHidden(name: string): boolean {
  return name.startsWith(".");
}

export function isTextFile(name: string): boolean {
  return TEXT_EXTENSIONS.has(path.extname(name).toLowerCase());
}

export function isMarkdownFile(name: string): boolean {
  return MARKDOWN_EXTENSIONS.has(path.extname(name).toLowerCase());
}

/** abstract.md and overview.md describe their folder; they are not counted or listed as its files. */
export function isTierFile(name: string): boolean {
  return name === ABSTRACT_FILE || name === OVERVIEW_FILE;
}

/** True for `archive` and anything under it (hub-relative, forward slashes). */
export function isInArchive(relative: string): boolean {
  return relative === ARCHIVE_FOLDER || relative.startsWith(`${ARCHIVE_FOLDER}/`);
}

/** Creates the hub root and its six top-level folders when missing; leaves existing ones alone. */
export async function ensureHubRoot(root: string): Promise<void> {
  await mkdir(root, { recursive: true });
  await Promise.all(HUB_FOLDERS.map((folder) => mkdir(path.join(root, folder), { recursive: true })));
}
