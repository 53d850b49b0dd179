import { readFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { splitMbox, stripEnvelopeLine } from "./mbox";

const MBOX = path.resolve(import.meta.dirname, "../../tests/fixtures/mail/mailbox.mbox");

async function collect(chunks: Iterable<string>) {
  const messages = [];
  for await (const message of splitMbox(chunks)) messages.push(message);
  return messages;
}

/** The text cut into pieces of `size` characters, so lines straddle chunk boundaries. */
function* pieces(text: string, size: number): Generator<string> {
  for (let i = 0; i < text.length; i += size) yield text.slice(i, i + size);
}

describe("mbox", () => {
  it("splits on postmark lines and unescapes >From, whatever the chunk boundaries", async () => {
    const text = await readFile(MBOX, "latin1");
    for (const size of [7, 64, 1 << 20]) {
      const messages = await collect(pieces(text, size));
      expect(messages).toHaveLength(3);
      const [statement, quote, cron] = messages.map((m) => m.raw.toString("latin1"));
      expect(statement).toMatch(/^From: Example Bank <statements@bank.example>\n/);
      expect(statement).not.toContain("From alerts@bank.example");
      expect(quote).toContain('\nFrom the start, this line began with "From ".\n');
      expect(quote).toContain("\n>From a quoted one, too.\n");
      expect(cron).toContain("X-Cron-Env: <SHELL=/bin/sh>");
      expect(messages.reduce((sum, m) => sum + m.bytes, 0)).toBe(text.length);
    }
  });

  it("keeps a body line starting with From that is not a postmark, and ignores text before the first one", async () => {
    const text = "preamble\n\nFrom a@b.example Mon Mar 10 08:00:00 2025\nSubject: one\n\nbody\nFrom what I hear\n";
    const messages = await collect([text]);
    expect(messages).toHaveLength(1);
    expect(messages[0]!.raw.toString("latin1")).toBe("Subject: one\n\nbody\nFrom what I hear\n");
  });

  it("strips a leading envelope line and reports its sender", () => {
    const { envelopeSender, raw } = stripEnvelopeLine(Buffer.from("From List-Admin@x.example  Thu Aug 22 12:36:23 2002\nSubject: hi\n"));
    expect(envelopeSender).toBe("list-admin@x.example");
    expect(raw.toString()).toBe("Subject: hi\n");
    expect(stripEnvelopeLine(Buffer.from("Subject: hi\n")).envelopeSender).toBeNull();
  });
});
