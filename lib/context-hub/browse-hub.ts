import { readFile } from "node:fs/promises";
import { getConfig } from "@/lib/config";
import { AppError } from "@/lib/errors";
import { ensureHubRoot, isMarkdownFile, isTextFile } from "./layout";
import { resolveHubPath } from "./paths";
import { readContext, MAX_FULL_BYTES, type FolderAbstract, type OverviewResult } from "./read-context";
import { readTextHead, splitFrontMatter } from "./text-file";
import { sha256 } from "./write-file";

// What the dashboard's context hub page shows: the folder tree with abstracts, then either a
// folder (its abstract, overview and entries) or a file (raw text for the editor, plus its hash so a
// save cannot silently overwrite a newer edit).

const TREE_DEPTH = 6;

export type HubTree = { rootAbstract: string | null; folders: (FolderAbstract & { depth: number })[]; truncated: boolean };

export type HubFolderView = Extract<OverviewResult, { kind: "folder" }>;

export type HubFileView = {
  kind: "file";
  path: string;
  bytes: number;
  modifiedAt: string;
  /** The whole file as stored (front matter included): what the editor edits. */
  raw: string;
  /** Front matter and body, split for display (markdown files only). */
  frontMatter: Record<string, unknown> | null;
  body: string;
  markdown: boolean;
  sha256: string;
  /** Past the read limit: shown cut, and not editable here. */
  truncated: boolean;
};

export function hubRoot(): string {
  return getConfig().contextHubDir;
}

export async function readHubTree(): Promise<HubTree> {
  const root = hubRoot();
  await ensureHubRoot(root);
  const result = await readContext(root, { tier: "abstracts", path: "", depth: TREE_DEPTH, includeArchive: true });
  if (result.tier !== "abstracts") throw new Error("abstracts tier answered with another tier");
  return {
    rootAbstract: result.abstract,
    folders: result.folders.map((folder) => ({ ...folder, depth: folder.path.split("/").length - 1 })),
    truncated: result.truncated,
  };
}

/** A folder or a file of the hub by path; not_found / forbidden as AppError. */
export async function readHubEntry(relativePath: string): Promise<HubFolderView | HubFileView> {
  const root = hubRoot();
  await ensureHubRoot(root);
  const target = await resolveHubPath(root, relativePath);
  if (target.kind === "folder") {
    const result = await readContext(root, { tier: "overview", path: target.relative, includeArchive: true });
    if (result.tier !== "overview" || result.kind !== "folder") throw new Error("overview of a folder answered with a file");
    return result;
  }
  if (!isTextFile(target.relative) || !isTextFile(target.absolute)) {
    throw new AppError("bad_request", `"${target.relative}" is not a text file; the hub shows .md, .markdown, .txt, .json, .yaml, .yml and .csv files`);
  }
  const { text, truncated } = await readTextHead(target.absolute, MAX_FULL_BYTES);
  const markdown = isMarkdownFile(target.relative);
  const { frontMatter, body } = markdown ? splitFrontMatter(text) : { frontMatter: null, body: text };
  return {
    kind: "file",
    path: target.relative,
    bytes: target.stats.size,
    modifiedAt: target.stats.mtime.toISOString(),
    raw: text,
    frontMatter,
    body,
    markdown,
    // readTextHead drops a leading BOM; hash what is on disk so the editor's save matches it.
    sha256: truncated ? "" : sha256(await readFile(target.absolute)),
    truncated,
  };
}
