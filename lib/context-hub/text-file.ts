import { open } from "node:fs/promises";
import { parse } from "yaml";

// Reading text out of hub files: bounded reads that never split a UTF-8 character, YAML front
// matter, and the one-line abstract.

export type TextRead = { text: string; truncated: boolean };

/** Reads at most `maxBytes` from the start of the file. */
export async function readTextHead(absolute: string, maxBytes: number): Promise<TextRead> {
  const handle = await open(absolute, "r");
  try {
    // One extra byte tells a file of exactly maxBytes from a longer one.
    const buffer = Buffer.alloc(maxBytes + 1);
    let filled = 0;
    while (filled < buffer.length) {
      const { bytesRead } = await handle.read(buffer, filled, buffer.length - filled, filled);
      if (bytesRead === 0) break;
      filled += bytesRead;
    }
    return textHead(buffer.subarray(0, filled), maxBytes);
  } finally {
    await handle.close();
  }
}

/** What readTextHead gives for a file holding `bytes`. */
function textHead(bytes: Uint8Array, maxBytes: number): TextRead {
  const truncated = bytes.length > maxBytes;
  // stream: true holds back a multi-byte character cut at the limit instead of emitting U+FFFD.
  const text = new TextDecoder("utf-8").decode(bytes.subarray(0, Math.min(bytes.length, maxBytes)), { stream: truncated });
  return { text: text.startsWith("\uFEFF") ? text.slice(1) : text, truncated };
}

export type FrontMatterSplit = { frontMatter: Record<string, unknown> | null; body: string };

const FRONT_MATTER = /^---[ \t]*\r?\n([\s\S]*?)\r?\n(?:---|\.\.\.)[ \t]*(?:\r?\n|$)/;

/**
 * Splits `---\n<yaml>\n---` off the top of a markdown file. Front matter that is not valid YAML or
 * not a mapping is left in the body, so nothing the owner wrote disappears.
 */
export function splitFrontMatter(text: string): FrontMatterSplit {
  const match = FRONT_MATTER.exec(text);
  if (!match) return { frontMatter: null, body: text };
  let parsed: unknown;
  try {
    parsed = parse(match[1] ?? "");
  } catch {
    return { frontMatter: null, body: text };
  }
  if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) return { frontMatter: null, body: text };
  return { frontMatter: parsed as Record<string, unknown>, body: text.slice(match[0].length) };
}

export const ABSTRACT_MAX_CHARS = 300;

/** The first non-empty line, without markdown heading marks, at most 300 characters. */
export function abstractLine(text: string): string | null {
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.replace(/^#+\s*/, "").trim();
    if (line) return line.length > ABSTRACT_MAX_CHARS ? `${line.slice(0, ABSTRACT_MAX_CHARS - 1)}…` : line;
  }
  return null;
}
