import { readFile } from "node:fs/promises";
import type { LanguageModel } from "ai";
import cliProgress from "cli-progress";
import { chatModel, chatModelConfigured, MODEL_SETUP_HINT } from "@/lib/chat/model";
import { AppError, validationError } from "@/lib/errors";
import { TRIAGE_CATEGORIES, type TriageCategory } from "@/lib/triage/categories";
import { parseMessage } from "@/lib/triage/parse-message";
import { senderRulesFileSchema, type SenderRule } from "@/lib/triage/sender-rules";
import { listMailFiles, readMailFiles } from "@/lib/triage/sources";
import { triageMessage } from "@/lib/triage/triage";
import type { RegisterCommands } from "../context";
import { registerTriageEvalCommand } from "./triage-eval";
import { registerTriageMailboxCommands } from "./triage-mailboxes";
import { parseJsonInput } from "../json-input";

// `pa triage …`: email triage from the terminal (mailboxes and sync: triage-mailboxes.ts). `classify` runs stage 1 (the owner's sender rules,
// then the heuristics) over mail on disk: no Gmail, no database, and no model unless `--model` asks
// for stage 2 on what stage 1 leaves undecided.

const RULES_EXAMPLE = '{"rules": [{"match": {"domain": "paypal.com"}, "category": "finance"}]}';

async function readRules(file: string): Promise<SenderRule[]> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === "ENOENT" ? "no such file" : (error as Error).message;
    throw new AppError("bad_request", `Cannot read --rules ${file}: ${reason}`);
  }
  const parsed = senderRulesFileSchema.safeParse(parseJsonInput(text, `--rules ${file}`));
  if (!parsed.success) throw validationError(parsed.error, `--rules ${file}`);
  return parsed.data.rules;
}

type Progress = { advance(bytes: number): void; stop(): void };

/**
 * A bar on standard error, by bytes read, only when standard error is a terminal and standard
 * output is not (with both on the terminal, the printed lines are the progress, and the bar would
 * tear them).
 */
function startProgress(totalBytes: number): Progress {
  if (!process.stderr.isTTY || process.stdout.isTTY) return { advance: () => {}, stop: () => {} };
  const bar = new cliProgress.SingleBar(
    { stream: process.stderr, format: "classifying [{bar}] {percentage}% | {messages} messages | {eta_formatted} left", hideCursor: true, clearOnComplete: true },
    cliProgress.Presets.shades_classic,
  );
  let messages = 0;
  let done = 0;
  bar.start(Math.max(totalBytes, 1), 0, { messages });
  return {
    advance(bytes) {
      messages++;
      done += bytes;
      bar.update(Math.min(done, totalBytes), { messages });
    },
    stop: () => bar.stop(),
  };
}

type Tally = {
  messages: number;
  decided: number;
  byStage: Record<string, number>;
  byCategory: Record<TriageCategory, number>;
  model: { calls: number; decided: number; inputTokens: number; outputTokens: number };
};

function modelFor(modelId: string | undefined): LanguageModel | undefined {
  if (modelId === undefined) return undefined;
  if (!chatModelConfigured()) throw new AppError("unavailable", `--model ${modelId}: no model server is configured. ${MODEL_SETUP_HINT}`);
  return chatModel(modelId);
}

function summaryLines(tally: Tally, seconds: number): string[] {
  const share = (n: number) => (tally.messages === 0 ? "0%" : `${((100 * n) / tally.messages).toFixed(1)}%`);
  const rate = seconds > 0 ? Math.round(tally.messages / seconds) : tally.messages;
  const stageOne = tally.decided - tally.model.decided;
  const { model } = tally;
  return [
    `${tally.messages} messages in ${seconds.toFixed(1)} s (${rate}/s)`,
    `decided by stage 1: ${stageOne} (${share(stageOne)}) — sender rules ${tally.byStage.rule ?? 0}, learned stage ${tally.byStage.learned ?? 0}`,
    `left for the model: ${tally.messages - stageOne} (${share(tally.messages - stageOne)})`,
    ...(model.calls > 0
      ? [`decided by the model: ${model.decided} of ${model.calls} calls (failed: ${model.calls - model.decided}) — tokens in ${model.inputTokens}, out ${model.outputTokens}`]
      : []),
    `categories (decided or best guess): ${TRIAGE_CATEGORIES.map((c) => `${c} ${tally.byCategory[c]}`).join(", ")}`,
  ];
}

export const registerTriageCommands: RegisterCommands = (program, context) => {
  const { io } = context;
  const triage = program
    .command("triage")
    .description("email triage: classify mail on disk offline, list connected Gmail mailboxes, sync them now");
  registerTriageMailboxCommands(triage, context);
  registerTriageEvalCommand(triage, context, { readRules, modelFor });

  triage
    .command("classify")
    .summary("classify .eml files, folders of them, or mbox files")
    .description(
      "Run stage 1 of triage (the owner's sender rules, then header and content heuristics) over mail on disk and print " +
        "one JSON line per message: messageId, category, confidence, stage, decided, reasons and source (the file, `#n` " +
        "for the nth message of an mbox). decided=false is stage 1's best guess for mail it finds ambiguous, which the " +
        "model stage takes over with --model <id> (then stage is \"model\" and usage holds its tokens; if the model fails, " +
        "the line keeps stage 1's guess with a reason). Folders are searched recursively for .eml and .mbox files; a file " +
        "that starts with an mbox `From ` line is read as an mbox. Needs no Gmail and no database, and no model without --model.",
    )
    .argument("<paths...>", ".eml files, folders of them, or mbox files")
    .option("--rules <file>", `the owner's sender rules as JSON, e.g. ${RULES_EXAMPLE}`)
    .option("--summary", "print counts per stage and category to standard error at the end")
    .option("--model <id>", "send what stage 1 leaves undecided to this model (OPENAI_BASE_URL / OPENAI_API_KEY), one call per message")
    .action(async (paths: string[], options: { rules?: string; summary?: boolean; model?: string }) => {
      const rules = options.rules ? await readRules(options.rules) : [];
      const model = modelFor(options.model);
      const files = await listMailFiles(paths);
      const progress = startProgress(files.reduce((sum, f) => sum + f.size, 0));
      const tally: Tally = {
        messages: 0,
        decided: 0,
        byStage: {},
        byCategory: Object.fromEntries(TRIAGE_CATEGORIES.map((c) => [c, 0])) as Record<TriageCategory, number>,
        model: { calls: 0, decided: 0, inputTokens: 0, outputTokens: 0 },
      };
      const started = performance.now();
      try {
        for await (const item of readMailFiles(files)) {
          const message = await parseMessage(item.raw);
          const { decision: result, modelCalls } = await triageMessage(message, { rules, model });
          io.out(
            JSON.stringify({
              messageId: message.messageId,
              category: result.category,
              confidence: result.confidence,
              stage: result.stage,
              decided: result.decided,
              reasons: result.reasons,
              source: item.source,
              ...(result.usage ? { usage: result.usage } : {}),
            }),
          );
          tally.messages++;
          if (modelCalls > 0) {
            tally.model.calls += modelCalls;
            if (result.stage === "model") tally.model.decided++;
            tally.model.inputTokens += result.usage?.inputTokens ?? 0;
            tally.model.outputTokens += result.usage?.outputTokens ?? 0;
          }
          tally.byCategory[result.category]++;
          if (result.decided) {
            tally.decided++;
            tally.byStage[result.stage] = (tally.byStage[result.stage] ?? 0) + 1;
          }
          progress.advance(item.bytes);
        }
      } finally {
        progress.stop();
      }
      if (options.summary) for (const line of summaryLines(tally, (performance.now() - started) / 1000)) io.err(line);
    });
};
