import { stat } from "node:fs/promises";
import path from "node:path";
import { AppError } from "@/lib/errors";
import { ABSTRACT_FILE, ARCHIVE_FOLDER, OVERVIEW_FILE, isInArchive, isMarkdownFile, isTextFile, isTierFile } from "./layout";
import { resolveHubPath, type ResolvedHubPath } from "./paths";
import { abstractLine, readTextHead, splitFrontMatter } from "./text-file";
import { joinRelative, listFolder } from "./walk";

// Tiered loading: "abstracts" is the cheap map of the hub (one line per folder), "overview" is one
// folder's overview.md and entries (or a file's front matter and first lines), "full" is a file.

export const MAX_FULL_BYTES = 256 * 1024;
export const MAX_ABSTRACT_FOLDERS = 200;
export const MAX_OVERVIEW_ENTRIES = 500;
const ABSTRACT_READ_BYTES = 4 * 1024;
const HEAD_READ_BYTES = 16 * 1024;
const HEAD_LINES = 30;

export type FolderAbstract = { path: string; abstract: string | null; files: number; subfolders: number };

export type AbstractsResult = {
  tier: "abstracts";
  path: string;
  abstract: string | null;
  files: number;
  folders: FolderAbstract[];
  /** More than MAX_ABSTRACT_FOLDERS folders were within depth; ask for a subfolder. */
  truncated: boolean;
};

export type FileEntry = { path: string; bytes: number; modifiedAt: string };

export type OverviewResult =
  | {
      tier: "overview";
      kind: "folder";
      path: string;
      abstract: string | null;
      overview: string | null;
      overviewTruncated: boolean;
      folders: { path: string; abstract: string | null; files: number }[];
      files: FileEntry[];
      /** Entries left out past MAX_OVERVIEW_ENTRIES. */
      omitted: number;
    }
  | {
      tier: "overview";
      kind: "file";
      path: string;
      bytes: number;
      modifiedAt: string;
      frontMatter: Record<string, unknown> | null;
      /** The first lines after any front matter. */
      head: string;
      headTruncated: boolean;
    };

export type FullResult = {
  tier: "full";
  path: string;
  bytes: number;
  modifiedAt: string;
  /** Markdown front matter, parsed; `content` is then the text after it. */
  frontMatter: Record<string, unknown> | null;
  content: string;
  truncated: boolean;
};

export type ReadContextRequest =
  | { tier: "abstracts"; path: string; depth: number; includeArchive: boolean }
  | { tier: "overview"; path: string; includeArchive: boolean }
  | { tier: "full"; path: string };

export type ReadContextResult = AbstractsResult | OverviewResult | FullResult;

export async function readContext(root: string, request: ReadContextRequest): Promise<ReadContextResult> {
  const target = await resolveHubPath(root, request.path);
  switch (request.tier) {
    case "abstracts":
      return readAbstracts(target, request.depth, request.includeArchive);
    case "overview":
      return readOverview(target, request.includeArchive);
    case "full":
      return readFull(target);
  }
}

type FolderSummary = { abstract: string | null; files: number; subfolders: string[]; listing: { files: string[]; folders: string[] } };

/** A folder's abstract, its markdown file count and its visible subfolders (archive/ only when asked). */
async function summariseFolder(absolute: string, relative: string, includeArchive: boolean): Promise<FolderSummary> {
  const listing = await listFolder(absolute);
  // Only read abstract.md when the listing saw it as a regular file: listings never follow links.
  const abstract = listing.files.includes(ABSTRACT_FILE) ? await readAbstract(path.join(absolute, ABSTRACT_FILE)) : null;
  const subfolders = listing.folders.filter((name) => includeArchive || joinRelative(relative, name) !== ARCHIVE_FOLDER);
  const files = listing.files.filter((name) => isMarkdownFile(name) && !isTierFile(name)).length;
  return { abstract, files, subfolders, listing };
}

async function readAbstract(absolute: string): Promise<string | null> {
  const { text } = await readTextHead(absolute, ABSTRACT_READ_BYTES);
  return abstractLine(splitFrontMatter(text).body);
}

function requireFolder(target: ResolvedHubPath, tier: string): void {
  if (target.kind !== "folder") {
    throw new AppError(
      "bad_request",
      `"${target.relative}" is a file; tier "${tier}" needs a folder. Use tier "overview" for a file's front matter and first lines, or "full" for its content.`,
    );
  }
}

async function readAbstracts(target: ResolvedHubPath, depth: number, includeArchive: boolean): Promise<AbstractsResult> {
  requireFolder(target, "abstracts");
  // Naming a path inside archive/ is asking for it.
  const withArchive = includeArchive || isInArchive(target.relative);
  const top = await summariseFolder(target.absolute, target.relative, withArchive);
  const folders: FolderAbstract[] = [];
  let truncated = false;

  // Depth-first, so each folder is followed by its own subfolders.
  async function visit(absolute: string, relative: string, names: string[], level: number): Promise<void> {
    for (const name of names) {
      if (folders.length >= MAX_ABSTRACT_FOLDERS) {
        truncated = true;
        return;
      }
      const childAbsolute = path.join(absolute, name);
      const childRelative = joinRelative(relative, name);
      const summary = await summariseFolder(childAbsolute, childRelative, withArchive);
      folders.push({ path: childRelative, abstract: summary.abstract, files: summary.files, subfolders: summary.subfolders.length });
      if (level < depth) await visit(childAbsolute, childRelative, summary.subfolders, level + 1);
    }
  }
  await visit(target.absolute, target.relative, top.subfolders, 1);

  return { tier: "abstracts", path: target.relative, abstract: top.abstract, files: top.files, folders, truncated };
}

async function fileEntry(absolute: string, relative: string): Promise<FileEntry> {
  const stats = await stat(absolute);
  return { path: relative, bytes: stats.size, modifiedAt: stats.mtime.toISOString() };
}

function requireText(target: ResolvedHubPath): void {
  // Both the name asked for and, through a link, the real file must look like text.
  if (!isTextFile(target.relative) || !isTextFile(target.absolute)) {
    throw new AppError(
      "bad_request",
      `"${target.relative}" is not a text file; the context hub reads .md, .markdown, .txt, .json, .yaml, .yml and .csv files`,
    );
  }
}

async function readOverview(target: ResolvedHubPath, includeArchive: boolean): Promise<OverviewResult> {
  if (target.kind === "file") {
    requireText(target);
    const { text, truncated } = await readTextHead(target.absolute, HEAD_READ_BYTES);
    const { frontMatter, body } = isMarkdownFile(target.relative) ? splitFrontMatter(text) : { frontMatter: null, body: text };
    const lines = body.replace(/^\s*\n/, "").split(/\r?\n/);
    return {
      tier: "overview",
      kind: "file",
      path: target.relative,
      bytes: target.stats.size,
      modifiedAt: target.stats.mtime.toISOString(),
      frontMatter,
      head: lines.slice(0, HEAD_LINES).join("\n").trimEnd(),
      headTruncated: truncated || lines.slice(HEAD_LINES).some((line) => line.trim() !== ""),
    };
  }

  const withArchive = includeArchive || isInArchive(target.relative);
  const summary = await summariseFolder(target.absolute, target.relative, withArchive);
  const overview = summary.listing.files.includes(OVERVIEW_FILE)
    ? await readTextHead(path.join(target.absolute, OVERVIEW_FILE), MAX_FULL_BYTES)
    : null;

  const folderNames = summary.subfolders.slice(0, MAX_OVERVIEW_ENTRIES);
  const fileNames = summary.listing.files.filter((name) => !isTierFile(name)).slice(0, MAX_OVERVIEW_ENTRIES - folderNames.length);
  const total = summary.subfolders.length + summary.listing.files.filter((name) => !isTierFile(name)).length;

  const folders = await Promise.all(
    folderNames.map(async (name) => {
      const relative = joinRelative(target.relative, name);
      const child = await summariseFolder(path.join(target.absolute, name), relative, withArchive);
      return { path: relative, abstract: child.abstract, files: child.files };
    }),
  );
  const files = await Promise.all(fileNames.map((name) => fileEntry(path.join(target.absolute, name), joinRelative(target.relative, name))));

  return {
    tier: "overview",
    kind: "folder",
    path: target.relative,
    abstract: summary.abstract,
    overview: overview?.text ?? null,
    overviewTruncated: overview?.truncated ?? false,
    folders,
    files,
    omitted: total - folders.length - files.length,
  };
}

async function readFull(target: ResolvedHubPath): Promise<FullResult> {
  if (target.kind === "folder") {
    throw new AppError(
      "bad_request",
      `"${target.relative || "/"}" is a folder; tier "full" reads one file. Use tier "abstracts" or "overview" for a folder.`,
    );
  }
  requireText(target);
  const { text, truncated } = await readTextHead(target.absolute, MAX_FULL_BYTES);
  const { frontMatter, body } = isMarkdownFile(target.relative) ? splitFrontMatter(text) : { frontMatter: null, body: text };
  return {
    tier: "full",
    path: target.relative,
    bytes: target.stats.size,
    modifiedAt: target.stats.mtime.toISOString(),
    frontMatter,
    content: body,
    truncated,
  };
}
