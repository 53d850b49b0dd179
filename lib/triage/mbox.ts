import { createReadStream } from "node:fs";

// mbox files: messages one after another, each opening with a `From <sender> <date>` postmark line.
// Lines of a body that began with "From " were written as ">From " (and ">From " as ">>From ",
// mboxrd), so one ">" is taken off when reading. Read as a stream of bytes: an export of a whole
// mailbox can be gigabytes, and bodies need not be UTF-8.

/** A postmark line: `From ` at the very start of a line (the caller checks the line before it). */
const POSTMARK = /^From \S*/;
/** What a real postmark looks like when no blank line precedes it: an address or word, then a date with a time. */
const DATED_POSTMARK = /^From \S+\s+.*\d{1,2}:\d{2}.*\d{4}/;
const ESCAPED_FROM = /^>+From /;

/** Splits off a leading postmark line, returning its envelope sender. */
export function stripEnvelopeLine(raw: Buffer): { envelopeSender: string | null; raw: Buffer } {
  if (raw.subarray(0, 5).toString("latin1") !== "From ") return { envelopeSender: null, raw };
  const end = raw.indexOf(0x0a);
  const line = raw.subarray(5, end === -1 ? raw.length : end).toString("latin1");
  return {
    envelopeSender: line.trim().split(/\s+/)[0]?.toLowerCase() || null,
    raw: end === -1 ? Buffer.alloc(0) : raw.subarray(end + 1),
  };
}

/** True when the bytes open with a postmark, i.e. this is an mbox rather than a single message. */
export function looksLikeMbox(head: Buffer): boolean {
  return head.subarray(0, 5).toString("latin1") === "From ";
}

/** One body line as it was before mbox escaping. */
export function unescapeFromLine(line: string): string {
  return ESCAPED_FROM.test(line) ? line.slice(1) : line;
}

function isPostmark(line: string, previousBlank: boolean): boolean {
  return POSTMARK.test(line) && (previousBlank || DATED_POSTMARK.test(line));
}

/** The lines of one message → its bytes, without the blank line mbox puts before the next postmark. */
function finish(lines: string[]): Buffer {
  while (lines.length > 0 && (lines[lines.length - 1] === "" || lines[lines.length - 1] === "\r")) lines.pop();
  return Buffer.from(`${lines.join("\n")}\n`, "latin1");
}

/** Streams an mbox file one message at a time; `bytes` is how much of the file each one took. */
export function readMbox(file: string): AsyncGenerator<MboxMessage> {
  return splitMbox(createReadStream(file, { encoding: "latin1", highWaterMark: 1 << 20 }) as AsyncIterable<string>);
}

export type MboxMessage = { raw: Buffer; bytes: number };

/**
 * Splits mbox text (read as latin1, so bytes survive) into messages without their postmark lines.
 * A line starting "From " opens a new message when it follows a blank line or looks like a dated
 * postmark; text before the first postmark belongs to no message.
 */
export async function* splitMbox(chunks: AsyncIterable<string> | Iterable<string>): AsyncGenerator<MboxMessage> {
  let current: string[] | null = null;
  let bytes = 0;
  let previousBlank = true;
  let pending = "";
  const take = function* (line: string, length: number): Generator<MboxMessage> {
    if (isPostmark(line, previousBlank)) {
      if (current) yield { raw: finish(current), bytes };
      current = [];
      bytes = 0;
    } else {
      current?.push(unescapeFromLine(line));
    }
    bytes += length;
    previousBlank = line === "" || line === "\r";
  };
  for await (const chunk of chunks) {
    const lines = (pending + chunk).split("\n");
    pending = lines.pop() ?? "";
    for (const line of lines) yield* take(line, line.length + 1);
  }
  if (pending !== "") yield* take(pending, pending.length);
  if (current) yield { raw: finish(current), bytes };
}
