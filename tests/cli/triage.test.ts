import { mkdtemp, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import type { DatabaseConnector } from "@/cli/database";
import { resetConfigForTests } from "@/lib/config";
import { startFakeOpenAI } from "@/tests/fakes/openai-server";
import { cli } from "./run-cli";

// `pa triage classify` reads mail from disk and never needs the database: the connector here fails
// the test if anything opens it.

const FIXTURES = path.resolve(import.meta.dirname, "../fixtures/mail");
const opened: string[] = [];
const noDatabase: DatabaseConnector = {
  connect: async () => {
    opened.push("db");
    throw new Error("triage classify must not open the database");
  },
  close: async () => {},
};

type Line = { messageId: string | null; category: string; confidence: number; stage: string; decided: boolean; reasons: string[]; source: string };
const parseLines = (out: string) => out.split("\n").filter(Boolean).map((line) => JSON.parse(line) as Line);

describe("pa triage classify", () => {
  it("prints one JSON line per message of files, folders and mbox files, without a database", async () => {
    const run = await cli(["triage", "classify", FIXTURES], { database: noDatabase });
    expect(run.err).toBe("");
    expect(run.code).toBe(0);
    const lines = parseLines(run.out);
    // 9 .eml files (one in a subfolder) and an mbox of 3.
    expect(lines).toHaveLength(12);
    const bySource = new Map(lines.map((l) => [path.relative(FIXTURES, l.source), l]));
    expect(bySource.get("newsletter.eml")).toMatchObject({ messageId: "issue-112@weeklyreader.example", category: "newsletters", stage: "learned", decided: true });
    expect(bySource.get("invoice.eml")).toMatchObject({ category: "finance", decided: true });
    // Calendar invitations are rare in the training mail: the learned stage leans to action_needed without deciding.
    expect(bySource.get("nested/invitation.eml")).toMatchObject({ category: "action_needed", decided: false });
    expect(bySource.get("mailbox.mbox#1")).toMatchObject({ messageId: "stmt-2025-03@bank.example", category: "finance" });
    expect(bySource.get("mailbox.mbox#3")).toMatchObject({ category: "notifications", decided: true });
    expect(bySource.get("personal.eml")).toMatchObject({ category: "other", decided: true });
    for (const line of lines) {
      expect(line.confidence).toBeGreaterThanOrEqual(0);
      expect(line.confidence).toBeLessThanOrEqual(1);
      expect(line.reasons.length).toBeGreaterThan(0);
    }
    expect(opened).toEqual([]);
  });

  it("applies sender rules from --rules and prints a summary with --summary", async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), "pa-triage-"));
    const rules = path.join(dir, "rules.json");
    await writeFile(rules, JSON.stringify({ rules: [{ match: { address: "jamie@friends.example" }, category: "action_needed", note: "family" }] }));
    const run = await cli(["triage", "classify", path.join(FIXTURES, "personal.eml"), path.join(FIXTURES, "newsletter.eml"), "--rules", rules, "--summary"], {
      database: noDatabase,
    });
    expect(run.code).toBe(0);
    const [personal, newsletter] = parseLines(run.out);
    expect(personal).toMatchObject({
      category: "action_needed",
      confidence: 1,
      stage: "rule",
      decided: true,
      reasons: ["owner's sender rule: address jamie@friends.example → action_needed (family)"],
    });
    expect(newsletter).toMatchObject({ category: "newsletters", stage: "learned" });
    expect(run.err).toMatch(/^2 messages in /);
    expect(run.err).toContain("decided by stage 1: 2 (100.0%) — sender rules 1, learned stage 1");
    expect(run.err).toContain("left for the model: 0 (0.0%)");
    expect(opened).toEqual([]);
  });

  it("fails with a readable message for a missing path or a bad rules file", async () => {
    const missing = await cli(["triage", "classify", path.join(FIXTURES, "nope.eml")], { database: noDatabase });
    expect(missing.code).toBe(1);
    expect(missing.err).toMatch(/error: Cannot read .*nope\.eml: no such file or folder/);

    const dir = await mkdtemp(path.join(os.tmpdir(), "pa-triage-"));
    const rules = path.join(dir, "rules.json");
    await writeFile(rules, JSON.stringify({ rules: [{ match: { domain: "paypal" }, category: "money" }] }));
    const bad = await cli(["triage", "classify", FIXTURES, "--rules", rules], { database: noDatabase });
    expect(bad.code).toBe(1);
    expect(bad.err).toContain(`error: --rules ${rules} is invalid`);
    expect(bad.out).toBe("");

    expect((await cli(["triage", "classify"], { database: noDatabase })).code).toBe(2);
  });

  describe("--model", () => {
    afterEach(() => {
      delete process.env.OPENAI_BASE_URL;
      delete process.env.OPENAI_API_KEY;
      resetConfigForTests();
    });

    it("sends only what stage 1 leaves undecided to the model and counts its tokens", async () => {
      const fake = await startFakeOpenAI();
      try {
        Object.assign(process.env, { OPENAI_BASE_URL: fake.url, OPENAI_API_KEY: "sk-test" });
        resetConfigForTests();
        fake.script({ text: JSON.stringify({ category: "action_needed", confidence: 0.8, reasons: ["a friend asks to bring a book"] }), usage: { prompt: 300, completion: 20 } });
        // The malformed message is the one stage 1 is not sure of.
        const run = await cli(["triage", "classify", path.join(FIXTURES, "malformed.eml"), path.join(FIXTURES, "newsletter.eml"), "--model", "triage-m", "--summary"], {
          database: noDatabase,
        });
        expect(run.code).toBe(0);
        const [personal, newsletter] = parseLines(run.out);
        expect(personal).toMatchObject({ category: "action_needed", confidence: 0.8, stage: "model", decided: true, usage: { inputTokens: 300, outputTokens: 20 } });
        expect(newsletter).toMatchObject({ category: "newsletters", stage: "learned", decided: true });
        expect(fake.requests.map((r) => r.model)).toEqual(["triage-m"]);
        expect(run.err).toContain("decided by stage 1: 1 (50.0%)");
        expect(run.err).toContain("decided by the model: 1 of 1 calls (failed: 0) — tokens in 300, out 20");
        expect(opened).toEqual([]);
      } finally {
        await fake.close();
      }
    });

    it("says how to configure a model when none is", async () => {
      delete process.env.OPENAI_BASE_URL;
      delete process.env.OPENAI_API_KEY;
      resetConfigForTests();
      const run = await cli(["triage", "classify", FIXTURES, "--model", "m"], { database: noDatabase });
      expect(run.code).toBe(1);
      expect(run.err).toContain("--model m: no model server is configured. Set OPENAI_API_KEY");
      expect(run.out).toBe("");
    });
  });
});
