import { readFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parseMessage } from "./parse-message";

const FIXTURES = path.resolve(import.meta.dirname, "../../tests/fixtures/mail");
const fixture = (name: string) => readFile(path.join(FIXTURES, name));

describe("parseMessage", () => {
  it("normalizes sender, recipients, subject, date and the list headers", async () => {
    const message = await parseMessage(await fixture("newsletter.eml"));
    expect(message.messageId).toBe("issue-112@weeklyreader.example");
    expect(message.from).toEqual({ address: "newsletter@weeklyreader.example", name: "The Weekly Reader" });
    expect(message.to).toEqual([{ address: "owner@example.com", name: "" }]);
    expect(message.subject).toBe("The Weekly Reader, issue 112: slow software");
    expect(message.date).toBe("2025-03-04T07:00:00.000Z");
    expect(message.headers["list-id"]).toBe("The Weekly Reader <weekly.weeklyreader.example>");
    expect(message.headers["list-unsubscribe"]).toContain("https://weeklyreader.example/u/abc123");
    expect(message.headers.precedence).toBe("bulk");
    // Headers triage does not read are dropped.
    expect(message.headers["return-path"]).toBeUndefined();
    expect(message.text).toContain("Unsubscribe: https://weeklyreader.example/u/abc123");
  });

  it("decodes encoded subjects and lists attachments by name and type", async () => {
    expect((await parseMessage(await fixture("personal.eml"))).subject).toBe("Re: dîner on Friday");
    const invoice = await parseMessage(await fixture("invoice.eml"));
    expect(invoice.attachments).toEqual([{ filename: "invoice-INV-2041.pdf", contentType: "application/pdf", size: expect.any(Number) }]);
    expect(invoice.to).toEqual([{ address: "owner@example.com", name: "Owner" }]);
  });

  it("takes the text of HTML-only mail without tags, styles or entities", async () => {
    const receipt = await parseMessage(await fixture("paypal-receipt.eml"));
    expect(receipt.text).toContain("You sent a payment of €18.50 EUR to Bookshop Ltd.");
    expect(receipt.text).not.toMatch(/<p>|color: #333|&\w+;/);
  });

  it("keeps the start and the end of a long body", async () => {
    const body = `${"start ".repeat(1_000)}${"middle ".repeat(5_000)}Unsubscribe here`;
    const message = await parseMessage(`From: a@b.example\nSubject: long\n\n${body}\n`);
    expect(message.text.length).toBeLessThan(4_100);
    expect(message.text.startsWith("start start")).toBe(true);
    expect(message.text.endsWith("Unsubscribe here")).toBe(true);
  });

  it("never throws on malformed or empty input", async () => {
    const broken = await parseMessage(await fixture("malformed.eml"));
    expect(broken.messageId).toBeNull();
    expect(broken.date).toBeNull();
    expect(broken.from).toBeNull();

    const empty = await parseMessage(Buffer.alloc(0));
    expect(empty).toMatchObject({ messageId: null, from: null, subject: "", text: "", attachments: [] });

    const binary = await parseMessage(Buffer.from(Array.from({ length: 2_000 }, (_, i) => (i * 37) % 256)));
    expect(binary.messageId).toBeNull();
  });
});
