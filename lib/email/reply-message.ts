// Builds the RFC 822 reply a draft holds: addressed to the original's Reply-To (or From), subject
// "Re: …", and In-Reply-To/References pointing at the original so mail clients and Gmail thread it.
// Header values come from an email (untrusted): line breaks are removed so nothing can add a header.

export type ReplyTo = {
  from: string;
  to: string;
  subject: string;
  /** The original's Message-ID, without angle brackets; null when it had none. */
  inReplyTo: string | null;
  /** The original's References header (ids in angle brackets), or "". */
  references: string;
  body: string;
  /** Extra X- headers (e.g. the job id, to find the draft again after a crash). */
  extra?: Record<string, string>;
};

const oneLine = (value: string) => value.replaceAll(/[\r\n]+/g, " ").trim();

/** RFC 2047 encoded-word for non-ASCII header text. */
function encodeHeader(value: string): string {
  const line = oneLine(value);
  return /^[\x20-\x7e]*$/.test(line) ? line : `=?UTF-8?B?${Buffer.from(line, "utf8").toString("base64")}?=`;
}

export function replySubject(subject: string): string {
  const line = oneLine(subject);
  return /^re:/i.test(line) ? line : `Re: ${line}`;
}

export function buildReply(reply: ReplyTo): Buffer {
  const id = reply.inReplyTo ? `<${oneLine(reply.inReplyTo).replaceAll(/[<>]/g, "")}>` : null;
  const references = [oneLine(reply.references), id].filter(Boolean).join(" ").trim();
  const headers = [
    `From: ${oneLine(reply.from)}`,
    `To: ${oneLine(reply.to)}`,
    `Subject: ${encodeHeader(replySubject(reply.subject))}`,
    ...(id ? [`In-Reply-To: ${id}`] : []),
    ...(references ? [`References: ${references}`] : []),
    ...Object.entries(reply.extra ?? {}).map(([name, value]) => `${name.replaceAll(/[^A-Za-z0-9-]/g, "")}: ${oneLine(value)}`),
    "MIME-Version: 1.0",
    'Content-Type: text/plain; charset="UTF-8"',
    "Content-Transfer-Encoding: base64",
  ];
  const body = Buffer.from(reply.body.replaceAll(/\r?\n/g, "\r\n"), "utf8").toString("base64").replaceAll(/.{76}/g, "$&\r\n");
  return Buffer.from(`${headers.join("\r\n")}\r\n\r\n${body}\r\n`, "utf8");
}
