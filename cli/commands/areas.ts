import { readFile } from "node:fs/promises";
import { ALL_PIPELINES } from "@/lib/chat/area-input";
import { ensureDefaultAreas, getAreaWithSpend, listAreas, updateArea, type AreaWithSpend } from "@/lib/chat/areas";
import { AppError, isAppError, type FieldIssue } from "@/lib/errors";
import type { CliContext, RegisterCommands } from "../context";
import { formatTable, indent, plural } from "../format";
import { CLI_INVOCATION } from "../io";

// `pa areas …`: what each chat assistant is for, may call and may spend. The rules (registered
// pipelines, limits, prices) live in lib/chat/area-input.ts; this file parses and prints.

type SetOptions = {
  model?: string;
  maxSteps?: string;
  turnBudget?: string;
  dailyBudget?: string;
  pipelines?: string;
  instructionsFile?: string;
  inputPrice?: string;
  outputPrice?: string;
};

// The service names fields as the API does; a person at the terminal typed the flag.
const FLAG_OF: Record<string, string> = {
  model: "--model",
  maxSteps: "--max-steps",
  turnBudgetUsd: "--turn-budget",
  dailyBudgetUsd: "--daily-budget",
  pipelines: "--pipelines",
  instructions: "--instructions-file",
  inputUsdPerMTok: "--input-price",
  outputUsdPerMTok: "--output-price",
};

/** `$0.05`; amounts under a cent keep four decimals so small spend does not read as nothing. */
function usd(amount: number): string {
  return `$${amount > 0 && amount < 0.01 ? amount.toFixed(4) : amount.toFixed(2)}`;
}

function pipelinesText(pipelines: readonly string[]): string {
  if (pipelines.includes(ALL_PIPELINES)) return "all";
  return pipelines.length === 0 ? "-" : pipelines.join(",");
}

function numberOption(value: string, flag: string): number {
  const n = Number(value);
  if (value.trim() === "" || !Number.isFinite(n)) throw new AppError("bad_request", `${flag} must be a number, not "${value}"`);
  return n;
}

async function readInstructions(path: string, context: CliContext): Promise<string> {
  if (path === "-") {
    if (!context.io.readStdin) throw new AppError("bad_request", "Standard input is not available here");
    return context.io.readStdin(`--instructions-file - reads from a pipe, e.g. cat inbox.md | ${CLI_INVOCATION} areas set inbox --instructions-file -`);
  }
  try {
    return await readFile(path, "utf8");
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === "ENOENT" ? "no such file" : (error as Error).message;
    throw new AppError("bad_request", `Cannot read --instructions-file ${path}: ${reason}`);
  }
}

/** The options given on the command line, as updateArea's input. */
async function changesFrom(options: SetOptions, context: CliContext): Promise<Record<string, unknown>> {
  const changes: Record<string, unknown> = {};
  if (options.model !== undefined) changes.model = options.model;
  if (options.maxSteps !== undefined) changes.maxSteps = numberOption(options.maxSteps, "--max-steps");
  if (options.turnBudget !== undefined) changes.turnBudgetUsd = numberOption(options.turnBudget, "--turn-budget");
  if (options.dailyBudget !== undefined) changes.dailyBudgetUsd = numberOption(options.dailyBudget, "--daily-budget");
  if (options.inputPrice !== undefined) changes.inputUsdPerMTok = numberOption(options.inputPrice, "--input-price");
  if (options.outputPrice !== undefined) changes.outputUsdPerMTok = numberOption(options.outputPrice, "--output-price");
  if (options.pipelines !== undefined) {
    changes.pipelines = options.pipelines
      .split(",")
      .map((s) => s.trim())
      .filter(Boolean);
  }
  if (options.instructionsFile !== undefined) changes.instructions = await readInstructions(options.instructionsFile, context);
  return changes;
}

/** The service's validation error, with each field named by the flag that set it. */
function withFlags(error: AppError, slug: string): AppError {
  const issues = ((error.details as { issues?: FieldIssue[] } | undefined)?.issues ?? []).map((issue) => {
    const [field = "", ...rest] = issue.path.split(/(?=[.[])/);
    return { ...issue, path: `${FLAG_OF[field] ?? field}${rest.join("")}` };
  });
  const first = issues[0];
  const summary = first ? `${first.path ? `${first.path}: ` : ""}${first.message}` : "invalid";
  return new AppError("validation_failed", `Cannot change area ${slug} (${summary})`, { issues });
}

function printArea(area: AreaWithSpend, out: (line: string) => void): void {
  const field = (label: string, value: string) => out(`${`${label}:`.padEnd(15)}${value}`);
  field("Area", `${area.name} (${area.slug})`);
  if (area.description) field("Description", area.description);
  field("Model", area.model);
  field("Pipelines", pipelinesText(area.pipelines));
  field("Max steps", String(area.maxSteps));
  field("Turn budget", usd(area.turnBudgetUsd));
  field("Daily budget", usd(area.dailyBudgetUsd));
  field("Prices", `${usd(area.inputUsdPerMTok)} in, ${usd(area.outputUsdPerMTok)} out per million tokens`);
  field("Spent today", `${usd(area.spentTodayUsd)} in ${plural(area.turnsToday, "turn")} (UTC day)`);
  field("Conversations", String(area.conversations));
  if (area.instructions) {
    out("Instructions:");
    for (const line of indent(area.instructions.trimEnd())) out(line);
  }
}

export const registerAreasCommands: RegisterCommands = (program, context) => {
  const { io } = context;
  const areas = program.command("areas").description("the chat assistants' areas: model, pipelines they may call, step and cost limits");

  areas
    .command("list")
    .summary("list areas with their limits and what they spent today")
    .description("List every area: its model, the pipelines its assistant may call, steps per turn, budgets, and spend this UTC day.")
    .option("--json", "print JSON instead of a table")
    .action(async (options: { json?: boolean }) => {
      await context.connectDatabase();
      const all = await listAreas();
      if (options.json) return io.out(JSON.stringify(all, null, 2));
      const rows = all.map((a) => [
        a.slug,
        a.name,
        a.model,
        pipelinesText(a.pipelines),
        String(a.maxSteps),
        usd(a.turnBudgetUsd),
        usd(a.dailyBudgetUsd),
        usd(a.spentTodayUsd),
      ]);
      const headers = ["SLUG", "NAME", "MODEL", "PIPELINES", "STEPS", "TURN BUDGET", "DAILY BUDGET", "SPENT TODAY"];
      for (const line of formatTable(headers, rows)) io.out(line);
    });

  areas
    .command("show")
    .summary("show one area with its instructions")
    .argument("<slug>", "the area's slug, e.g. inbox")
    .option("--json", "print JSON")
    .action(async (slug: string, options: { json?: boolean }) => {
      await context.connectDatabase();
      const area = await getAreaWithSpend(slug);
      if (options.json) return io.out(JSON.stringify(area, null, 2));
      printArea(area, io.out);
    });

  areas
    .command("set")
    .summary("change an area's model, pipelines, limits, prices or instructions")
    .description("Change some of an area's settings; the next turn uses them. Every problem is reported at once, by flag.")
    .argument("<slug>", "the area's slug, e.g. inbox")
    .option("--model <id>", "the model its assistant uses, e.g. gpt-4o-mini")
    .option("--max-steps <n>", "model calls per turn, each tool round is one (1-50)")
    .option("--turn-budget <usd>", "most one turn may cost, in US dollars")
    .option("--daily-budget <usd>", "most the area may spend per UTC day, in US dollars")
    .option("--pipelines <names>", 'comma-separated pipelines it may call, "*" for all (replaces the list; empty to clear)')
    .option("--instructions-file <path>", "read its instructions from this file (- for standard input)")
    .option("--input-price <usd>", "the model's price per million input tokens")
    .option("--output-price <usd>", "the model's price per million output tokens")
    .action(async (slug: string, options: SetOptions) => {
      const changes = await changesFrom(options, context);
      if (Object.keys(changes).length === 0) throw new AppError("bad_request", "Nothing to change: give at least one option (see --help)");
      await context.connectDatabase();
      // updateArea does not create the starting areas itself; `set inbox` on a fresh install should still work.
      await ensureDefaultAreas();
      try {
        await updateArea(slug, changes);
      } catch (error) {
        throw isAppError(error) && error.code === "validation_failed" ? withFlags(error, slug) : error;
      }
      io.out(`Updated ${slug}.`);
      printArea(await getAreaWithSpend(slug), io.out);
    });
};
