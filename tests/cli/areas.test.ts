import { mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { autocommit } from "@/lib/db/transaction";
import { newId } from "@/lib/ids";
import { cli } from "./run-cli";

const scratch = await mkdtemp(path.join(os.tmpdir(), "pa-areas-cli-"));
afterAll(() => rm(scratch, { recursive: true, force: true }));

describe("pa areas", () => {
  it("sets an area on a fresh install, and show prints what was saved", async () => {
    const instructions = path.join(scratch, "inbox.md");
    await writeFile(instructions, "Triage first.\nDraft replies, never send.\n");
    const run = await cli([
      "areas", "set", "inbox",
      "--model", "gpt-4.1-mini",
      "--max-steps", "4",
      "--turn-budget", "0.1",
      "--daily-budget", "2.5",
      "--pipelines", "context.read, notes.capture",
      "--instructions-file", instructions,
      "--input-price", "0.4",
      "--output-price", "1.6",
    ]);
    expect(run.err).toBe("");
    expect(run.code).toBe(0);
    expect(run.lines[0]).toBe("Updated inbox.");

    const stored = await autocommit().assistantArea.findUniqueOrThrow({ where: { slug: "inbox" } });
    expect(stored).toMatchObject({
      model: "gpt-4.1-mini",
      maxSteps: 4,
      turnBudgetUsd: 0.1,
      dailyBudgetUsd: 2.5,
      pipelines: ["context.read", "notes.capture"],
      instructions: "Triage first.\nDraft replies, never send.\n",
      inputUsdPerMTok: 0.4,
      outputUsdPerMTok: 1.6,
    });

    const shown = await cli(["areas", "show", "inbox"]);
    expect(shown.code).toBe(0);
    expect(shown.lines).toEqual(
      expect.arrayContaining([
        "Area:          Inbox (inbox)",
        "Model:         gpt-4.1-mini",
        "Pipelines:     context.read,notes.capture",
        "Max steps:     4",
        "Turn budget:   $0.10",
        "Daily budget:  $2.50",
        "Prices:        $0.40 in, $1.60 out per million tokens",
        "Instructions:",
        "  Triage first.",
        "  Draft replies, never send.",
      ]),
    );
  });

  it("lists the areas with their limits and today's spend, not yesterday's", async () => {
    await cli(["areas", "list"]); // creates the starting areas on a fresh install
    const area = await autocommit().assistantArea.findUniqueOrThrow({ where: { slug: "content" } });
    const conversation = await autocommit().conversation.create({
      data: { id: newId("cnv"), areaId: area.id, userId: "usr_cli", title: "Drafts" },
    });
    const turn = { conversationId: conversation.id, areaId: area.id, model: area.model, status: "completed" };
    await autocommit().chatTurn.createMany({
      data: [
        { id: newId("trn"), ...turn, costUsd: 0.0123 },
        { id: newId("trn"), ...turn, costUsd: 0.02 },
        { id: newId("trn"), ...turn, costUsd: 5, startedAt: new Date(Date.now() - 2 * 86_400_000) },
      ],
    });

    const table = await cli(["areas", "list"]);
    expect(table.code).toBe(0);
    expect(table.lines[0]).toMatch(/^SLUG\s+NAME\s+MODEL\s+PIPELINES\s+STEPS\s+TURN BUDGET\s+DAILY BUDGET\s+SPENT TODAY$/);
    expect(table.lines.slice(1).map((l) => l.split(/\s+/)[0])).toEqual(["general", "inbox", "content", "operations"]);
    expect(table.lines.find((l) => l.startsWith("general"))).toMatch(/^general\s+General\s+\S+\s+all\s+8\s+\$0\.05\s+\$1\.00\s+\$0\.00$/);
    expect(table.lines.find((l) => l.startsWith("content"))).toMatch(/^content\s+Content\s+\S+\s+context\.read,context\.search,notes\.capture\s+8\s+\$0\.05\s+\$1\.00\s+\$0\.03$/);

    const shown = await cli(["areas", "show", "content"]);
    expect(shown.lines).toContain("Spent today:   $0.03 in 2 turns (UTC day)");
    expect(shown.lines).toContain("Conversations: 1");

    const json = JSON.parse((await cli(["areas", "list", "--json"])).out) as { slug: string; spentTodayUsd: number; turnsToday: number }[];
    expect(json.find((a) => a.slug === "content")).toMatchObject({ spentTodayUsd: 0.0323, turnsToday: 2 });
  });

  it("reports every invalid setting by its flag, and changes nothing", async () => {
    const before = await cli(["areas", "show", "operations", "--json"]);
    const bad = await cli(["areas", "set", "operations", "--max-steps", "0", "--daily-budget", "-1", "--pipelines", "system.echo,nope.nothing"]);
    expect(bad.code).toBe(1);
    expect(bad.out).toBe("");
    expect(bad.err.split("\n")).toEqual([
      "error: Cannot change area operations (--pipelines[1]: is not a registered pipeline)",
      "  - --max-steps: must be at least 1",
      "  - --daily-budget: must not be negative",
    ]);
    expect((await cli(["areas", "show", "operations", "--json"])).out).toBe(before.out);

    const notNumber = await cli(["areas", "set", "operations", "--turn-budget", "cheap"]);
    expect(notNumber.code).toBe(1);
    expect(notNumber.err).toBe('error: --turn-budget must be a number, not "cheap"');

    const nothing = await cli(["areas", "set", "operations"]);
    expect(nothing.code).toBe(1);
    expect(nothing.err).toContain("Nothing to change");

    const missingFile = await cli(["areas", "set", "operations", "--instructions-file", path.join(scratch, "absent.md")]);
    expect(missingFile.code).toBe(1);
    expect(missingFile.err).toContain("Cannot read --instructions-file");
    expect(missingFile.err).toContain("no such file");

    const unknown = await cli(["areas", "set", "nowhere", "--model", "gpt-4o"]);
    expect(unknown.code).toBe(1);
    expect(unknown.err).toBe('error: There is no area "nowhere"');
    expect((await cli(["areas", "show", "nowhere"])).err).toBe('error: There is no area "nowhere"');
  });

  it("reads instructions from standard input with --instructions-file -", async () => {
    const run = await cli(["areas", "set", "general", "--instructions-file", "-"], { stdin: "Be brief." });
    expect(run.code).toBe(0);
    expect((await autocommit().assistantArea.findUniqueOrThrow({ where: { slug: "general" } })).instructions).toBe("Be brief.");
  });
});
