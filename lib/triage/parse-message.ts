import { decodeHTML } from "entities";
import { simpleParser, type AddressObject, type ParsedMail } from "mailparser";

// Raw RFC 822 → the normalized message triage reads. Built on mailparser's simpleParser with the
// expensive extras switched off (HTML → text, text → HTML, link detection): stage 1 only needs the
// headers, a stretch of plain text and the attachments' names and types. Malformed mail never
// throws: whatever the parser cannot read is left empty, and a message it rejects outright falls
// back to the header block read by hand.

export type MailAddress = { address: string; name: string };

export type MailAttachment = { filename: string | null; contentType: string; size: number };

export type MailMessage = {
  /** Message-ID without the angle brackets; null when the header is missing. */
  messageId: string | null;
  from: MailAddress | null;
  to: MailAddress[];
  subject: string;
  /** ISO 8601, or null when missing or unreadable. */
  date: string | null;
  /** The headers triage looks at, names lower-cased, first occurrence, unfolded and trimmed. */
  headers: Record<string, string>;
  /**
   * Plain text with whitespace collapsed: the beginning and the end of the body (newsletters put
   * their unsubscribe line at the bottom), at most TEXT_HEAD + TEXT_TAIL characters.
   */
  text: string;
  attachments: MailAttachment[];
};

/** Headers stage 1 reads; the rest are dropped so a message stays small. */
export const HEADERS_OF_INTEREST = new Set([
  "list-id",
  "list-unsubscribe",
  "list-unsubscribe-post",
  "list-post",
  "list-help",
  "list-subscribe",
  "list-owner",
  "list-archive",
  "mailing-list",
  "x-mailing-list",
  "x-mailman-version",
  "x-beenthere",
  "x-list",
  "precedence",
  "auto-submitted",
  "x-auto-response-suppress",
  "x-autoreply",
  "x-autorespond",
  "x-cron-env",
  "feedback-id",
  "x-campaign",
  "x-campaignid",
  "x-mailer",
  "sender",
  "reply-to",
  "errors-to",
  "in-reply-to",
  "references",
  "content-type",
]);

const TEXT_HEAD = 2_500;
const TEXT_TAIL = 1_500;
const MAX_HEADER_VALUE = 1_000;
/** HTML beyond this is not worth stripping for a snippet. */
const MAX_HTML_TO_STRIP = 200_000;

const PARSER_OPTIONS = {
  skipHtmlToText: true,
  skipTextToHtml: true,
  skipImageLinks: true,
  skipTextLinks: true,
  keepDeliveryStatus: true,
} as const;

/** Parses one message; never throws. */
export async function parseMessage(raw: Buffer | string): Promise<MailMessage> {
  const input = typeof raw === "string" ? Buffer.from(raw, "utf8") : raw;
  try {
    return fromParsed(await simpleParser(input, PARSER_OPTIONS));
  } catch {
    return fromHeaderBlock(input);
  }
}

function fromParsed(parsed: ParsedMail): MailMessage {
  const headers: Record<string, string> = {};
  let rawDate: string | undefined;
  for (const { key, line } of parsed.headerLines ?? []) {
    const name = key.toLowerCase();
    if (name === "date") rawDate ??= headerValue(line);
    if (!HEADERS_OF_INTEREST.has(name) || name in headers) continue;
    headers[name] = headerValue(line);
  }
  const body = parsed.text?.trim() ? parsed.text : typeof parsed.html === "string" ? stripHtml(parsed.html) : "";
  return {
    messageId: normalizeMessageId(parsed.messageId),
    from: addressesOf(parsed.from)[0] ?? null,
    to: [...addressesOf(parsed.to), ...addressesOf(parsed.cc)],
    subject: (parsed.subject ?? "").replace(/\s+/g, " ").trim(),
    // mailparser puts the current time in place of a missing or unreadable Date: that is not the message's.
    date: rawDate && !Number.isNaN(Date.parse(rawDate)) && parsed.date ? parsed.date.toISOString() : null,
    headers,
    text: snippet(body),
    attachments: (parsed.attachments ?? []).map((a) => ({
      filename: a.filename ?? null,
      contentType: (a.contentType ?? "application/octet-stream").toLowerCase(),
      size: a.size ?? 0,
    })),
  };
}

function addressesOf(field: AddressObject | AddressObject[] | undefined): MailAddress[] {
  if (!field) return [];
  const found: MailAddress[] = [];
  const visit = (entries: { address?: string; name?: string; group?: unknown[] }[]) => {
    for (const entry of entries) {
      if (entry.group) visit(entry.group as typeof entries);
      else if (entry.address || entry.name) {
        found.push({ address: (entry.address ?? "").toLowerCase(), name: (entry.name ?? "").trim() });
      }
    }
  };
  for (const object of Array.isArray(field) ? field : [field]) visit(object.value ?? []);
  return found;
}

/** `Key: value` as mailparser keeps it (folded) → the value on one line. */
function headerValue(line: string): string {
  const colon = line.indexOf(":");
  return line
    .slice(colon + 1)
    .replace(/\r?\n[ \t]+/g, " ")
    .trim()
    .slice(0, MAX_HEADER_VALUE);
}

function normalizeMessageId(id: string | undefined): string | null {
  const trimmed = id?.trim().replace(/^<|>$/g, "").trim();
  return trimmed ? trimmed : null;
}

/** Good enough for keyword signals and snippets: drops style/script blocks and tags, decodes every HTML entity. */
export function stripHtml(html: string): string {
  const text = html
    .slice(0, MAX_HTML_TO_STRIP)
    .replace(/<(style|script|head)\b[\s\S]*?<\/\1\s*>/gi, " ")
    .replace(/<[^>]*>/g, " ");
  return decodeHTML(text).replace(/\u00a0/g, " ");
}

function snippet(body: string): string {
  const text = body.replace(/\s+/g, " ").trim();
  if (text.length <= TEXT_HEAD + TEXT_TAIL) return text;
  return `${text.slice(0, TEXT_HEAD)} … ${text.slice(-TEXT_TAIL)}`;
}

/** The fallback for input the parser rejects: unfold the header block and read the few we need. */
function fromHeaderBlock(input: Buffer): MailMessage {
  const text = input.toString("latin1");
  const end = text.search(/\r?\n\r?\n/);
  const block = end === -1 ? text : text.slice(0, end);
  const body = end === -1 ? "" : text.slice(end);
  const all: Record<string, string> = {};
  for (const line of block.replace(/\r?\n[ \t]+/g, " ").split(/\r?\n/)) {
    const match = /^([!-9;-~]+):\s*(.*)$/.exec(line);
    if (!match) continue;
    const name = match[1]!.toLowerCase();
    all[name] ??= match[2]!.trim().slice(0, MAX_HEADER_VALUE);
  }
  const headers = Object.fromEntries(Object.entries(all).filter(([name]) => HEADERS_OF_INTEREST.has(name)));
  const date = all.date ? new Date(all.date) : null;
  return {
    messageId: normalizeMessageId(all["message-id"]),
    from: all.from ? parseLooseAddress(all.from) : null,
    to: (all.to ?? "").split(",").map(parseLooseAddress).filter((a) => a.address || a.name),
    subject: (all.subject ?? "").replace(/\s+/g, " ").trim(),
    date: date && !Number.isNaN(date.getTime()) ? date.toISOString() : null,
    headers,
    text: snippet(body),
    attachments: [],
  };
}

function parseLooseAddress(value: string): MailAddress {
  const angle = /^(.*)<([^>]*)>/.exec(value);
  if (angle) return { address: angle[2]!.trim().toLowerCase(), name: angle[1]!.replace(/"/g, "").trim() };
  const bare = /[^\s<>()"]+@[^\s<>()"]+/.exec(value);
  return { address: (bare?.[0] ?? "").toLowerCase(), name: value.replace(bare?.[0] ?? "", "").replace(/[()"]/g, "").trim() };
}
