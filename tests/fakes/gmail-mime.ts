import type { FakeMessage } from "./gmail-mailbox";

// A small RFC 822 reader, enough for the fake Gmail's format=metadata/full answers.

type Header = { name: string; value: string };
type Part = { partId: string; mimeType: string; filename: string; headers: Header[]; body: { size: number; data?: string }; parts?: Part[] };

function splitHeaders(raw: Buffer): { headers: Header[]; body: Buffer } {
  const text = raw.toString("latin1");
  const match = /\r?\n\r?\n/.exec(text);
  const headerText = match ? text.slice(0, match.index) : text;
  const body = match ? raw.subarray(match.index + match[0].length) : Buffer.alloc(0);
  const headers: Header[] = [];
  for (const line of headerText.split(/\r?\n/)) {
    const last = headers.at(-1);
    if (/^[ \t]/.test(line) && last) last.value += ` ${line.trim()}`;
    else if (line.includes(":")) headers.push({ name: line.slice(0, line.indexOf(":")).trim(), value: line.slice(line.indexOf(":") + 1).trim() });
  }
  return { headers, body };
}

const headerOf = (headers: Header[], name: string) => headers.find((h) => h.name.toLowerCase() === name.toLowerCase())?.value;

function parsePart(raw: Buffer, partId: string): Part {
  const { headers, body } = splitHeaders(raw);
  const contentType = headerOf(headers, "content-type") ?? "text/plain";
  const mimeType = contentType.split(";")[0]!.trim().toLowerCase();
  const filename = /filename="?([^";]+)"?/i.exec(headerOf(headers, "content-disposition") ?? "")?.[1] ?? "";
  const boundary = /boundary="?([^";]+)"?/i.exec(contentType)?.[1];
  if (mimeType.startsWith("multipart/") && boundary) {
    const sections = body.toString("latin1").split(`--${boundary}`).slice(1);
    const parts = sections
      .filter((s) => !s.startsWith("--"))
      .map((s, i) => parsePart(Buffer.from(s.replace(/^\r?\n/, ""), "latin1"), partId ? `${partId}.${i}` : String(i)));
    return { partId, mimeType, filename, headers, body: { size: 0 }, parts };
  }
  const decoded = /base64/i.test(headerOf(headers, "content-transfer-encoding") ?? "") ? Buffer.from(body.toString("latin1"), "base64") : body;
  return { partId, mimeType, filename, headers, body: { size: decoded.length, data: decoded.toString("base64url") } };
}

/** users.messages.get's answer in `format` (raw, minimal, metadata or full). */
export function messageResource(message: FakeMessage, format: string, metadataHeaders: string[]): Record<string, unknown> {
  const common = { id: message.id, threadId: message.threadId, labelIds: message.labelIds, historyId: String(message.historyId), internalDate: String(message.internalDate), sizeEstimate: message.raw.length };
  if (format === "raw") return { ...common, raw: message.raw.toString("base64url") };
  if (format === "minimal") return common;
  const payload = parsePart(message.raw, "");
  const snippet = Buffer.from(payload.parts?.[0]?.body.data ?? payload.body.data ?? "", "base64url").toString("utf8").replace(/\s+/g, " ").trim().slice(0, 100);
  if (format === "metadata") {
    const wanted = metadataHeaders.map((h) => h.toLowerCase());
    const headers = wanted.length ? payload.headers.filter((h) => wanted.includes(h.name.toLowerCase())) : payload.headers;
    return { ...common, snippet, payload: { mimeType: payload.mimeType, headers } };
  }
  return { ...common, snippet, payload };
}
