import path from "node:path";
import { describe, expect, it } from "vitest";
import { AppError } from "@/lib/errors";
import { listMailFiles, readMailFiles } from "./sources";

const FIXTURES = path.resolve(import.meta.dirname, "../../tests/fixtures/mail");

describe("mail sources", () => {
  it("finds .eml and mbox files in folders recursively, and reads every message once", async () => {
    const files = await listMailFiles([FIXTURES]);
    const names = files.map((f) => path.relative(FIXTURES, f.path));
    expect(names).toEqual([...names].sort());
    expect(names).toContain("nested/invitation.eml");
    expect(files.find((f) => f.path.endsWith("mailbox.mbox"))?.kind).toBe("mbox");
    expect(files.find((f) => f.path.endsWith("invoice.eml"))?.kind).toBe("eml");

    const sources: string[] = [];
    for await (const item of readMailFiles(files)) sources.push(path.relative(FIXTURES, item.source));
    expect(sources.filter((s) => s.startsWith("mailbox.mbox"))).toEqual(["mailbox.mbox#1", "mailbox.mbox#2", "mailbox.mbox#3"]);
    expect(sources).toHaveLength(files.length + 2);
  });

  it("says which path it cannot read", async () => {
    const error = await listMailFiles([path.join(FIXTURES, "missing.eml")]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).message).toMatch(/missing\.eml: no such file or folder/);
  });
});
