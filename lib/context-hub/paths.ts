import type { Stats } from "node:fs";
import { realpath, stat } from "node:fs/promises";
import path from "node:path";
import { AppError } from "@/lib/errors";
import { isHidden } from "./layout";

// Every user-supplied path goes through here before the hub touches the file system. The path is
// taken literally (never URL-decoded), relative to the hub root, with "/" or "\" as separators.
// What it names must exist, be visible and, with every symbolic link followed, stay inside the root.

export type ResolvedHubPath = {
  /** Normalised, hub-relative, forward slashes; "" is the root. */
  relative: string;
  /** The real location on disk (symbolic links resolved). */
  absolute: string;
  kind: "file" | "folder";
  stats: Stats;
};

function describe(input: string): string {
  return JSON.stringify(input);
}

function outside(input: string): AppError {
  return new AppError("forbidden", `The path ${describe(input)} is outside the context hub`);
}

/**
 * Checks the path's syntax and returns it normalised ("./a//b/" → "a/b"). Refuses absolute paths,
 * ".." segments, control characters (NUL included) and hidden segments.
 */
export function normaliseHubPath(input: string): string {
  // Control characters have no business in a path; NUL in particular truncates it in C APIs.
  if (/[\u0000-\u001f\u007f]/.test(input)) {
    throw new AppError("forbidden", `The path ${describe(input)} contains a control character`);
  }
  const slashed = input.replace(/\\/g, "/");
  if (slashed.startsWith("/") || /^[a-zA-Z]:/.test(slashed)) throw outside(input);
  const segments = slashed.split("/").filter((segment) => segment !== "" && segment !== ".");
  if (segments.includes("..")) throw outside(input);
  if (segments.some(isHidden)) {
    throw new AppError("forbidden", `The path ${describe(input)} names a hidden file or folder, which is not part of the context hub`);
  }
  return segments.join("/");
}

function isMissing(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException | null)?.code;
  return code === "ENOENT" || code === "ENOTDIR" || code === "ELOOP";
}

/** The root with its own symbolic links resolved; the hub may live behind a link. */
export async function realHubRoot(root: string): Promise<string> {
  try {
    return await realpath(root);
  } catch (error) {
    if (isMissing(error)) throw new AppError("not_found", "The context hub folder does not exist yet");
    throw error;
  }
}

/** Resolves a hub-relative path to something that exists inside the hub, or throws forbidden / not_found. */
export async function resolveHubPath(root: string, input: string): Promise<ResolvedHubPath> {
  const relative = normaliseHubPath(input);
  const rootReal = await realHubRoot(root);
  let real: string;
  try {
    real = await realpath(path.join(rootReal, relative));
  } catch (error) {
    if (isMissing(error)) throw new AppError("not_found", `Nothing at ${describe(relative)} in the context hub`);
    throw error;
  }
  const fromRoot = path.relative(rootReal, real);
  if (fromRoot === ".." || fromRoot.startsWith(`..${path.sep}`) || path.isAbsolute(fromRoot)) throw outside(input);
  // A link inside the hub may not lead to a hidden file either.
  if (fromRoot.split(path.sep).some(isHidden)) {
    throw new AppError("forbidden", `The path ${describe(input)} leads to a hidden file or folder, which is not part of the context hub`);
  }
  const stats = await stat(real);
  if (!stats.isFile() && !stats.isDirectory()) {
    throw new AppError("not_found", `Nothing readable at ${describe(relative)} in the context hub`);
  }
  return { relative, absolute: real, kind: stats.isDirectory() ? "folder" : "file", stats };
}
