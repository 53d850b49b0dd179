import type { Command } from "commander";
import type { LanguageModel } from "ai";
import { AppError } from "@/lib/errors";
import { evaluateLabelled } from "@/lib/triage/evaluate-labelled";
import { readLabelledMail } from "@/lib/triage/labelled-mail";
import type { SenderRule } from "@/lib/triage/sender-rules";
import { formatReport } from "@/lib/triage/triage-metrics";
import { spamAssassinExamples } from "@/lib/triage/training-data";
import type { CliContext } from "../context";

// `pa triage eval`: measures triage on the user's own labelled mail (or the development set) and
// prints accuracy, macro-F1, per-category precision/recall, the confusion matrix, coverage and
// precision at the auto-action thresholds, and the calibration table.

type Helpers = { readRules: (file: string) => Promise<SenderRule[]>; modelFor: (id: string | undefined) => LanguageModel | undefined };

export function registerTriageEvalCommand(triage: Command, { io }: CliContext, { readRules, modelFor }: Helpers): void {
  triage
    .command("eval")
    .summary("measure triage on labelled mail: accuracy, macro-F1, per-category P/R, confusion, auto-action coverage")
    .description(
      "Classify labelled mail and compare with the labels. <paths> are .eml files, folders or mbox files; --labels is a CSV " +
        "with a header row naming `file` and `category` columns (file = the message's file name, its path under the folder, " +
        "or `name.mbox#n`). Without --cv: stage 1 as shipped (sender rules, the learned stage) at the default thresholds. " +
        "With --cv N: N-fold cross-validation of the learned stage (trained on N-1 folds plus the SpamAssassin ham when the " +
        "dev dependency is installed, tested on the held-out fold; thresholds and calibration chosen on the other folds). " +
        "--model <id> sends what stage 1 leaves undecided to that model, in both modes. The development set: " +
        "pa triage eval tests/fixtures/triage-devset/eml --labels tests/fixtures/triage-devset/labels.csv --cv 5",
    )
    .argument("<paths...>", ".eml files, folders of them, or mbox files")
    .requiredOption("--labels <csv>", "the labels: file,category[,…] with a header row")
    .option("--cv <folds>", "cross-validate the learned stage with this many folds (2–20)")
    .option("--no-spamassassin", "with --cv: train on the labelled mail only")
    .option("--rules <file>", "the owner's sender rules as JSON (without --cv)")
    .option("--model <id>", "send what stage 1 leaves undecided to this model (OPENAI_BASE_URL / OPENAI_API_KEY)")
    .action(async (paths: string[], options: { labels: string; cv?: string; spamassassin: boolean; rules?: string; model?: string }) => {
      const folds = options.cv === undefined ? undefined : Number(options.cv);
      if (folds !== undefined && (!Number.isInteger(folds) || folds < 2 || folds > 20)) throw new AppError("bad_request", `--cv must be a whole number from 2 to 20, got "${options.cv}"`);
      const messages = await readLabelledMail(paths, options.labels);
      if (messages.length === 0) throw new AppError("bad_request", "No labelled message found under the given paths.");
      const languageModel = modelFor(options.model);
      const auxiliary = folds && options.spamassassin ? await spamAssassinExamples() : [];
      const { report, thresholds, modelCalls, seconds } = await evaluateLabelled(messages, {
        folds,
        rules: options.rules ? await readRules(options.rules) : undefined,
        languageModel,
        auxiliary,
      });
      io.out(
        folds
          ? `${folds}-fold cross-validation of stage 1 + the learned stage${languageModel ? " + the model" : ""} (${auxiliary.length} SpamAssassin messages as extra training mail):`
          : `stage 1 + the learned stage as shipped${languageModel ? " + the model" : ""}, at the default thresholds:`,
      );
      for (const line of formatReport(report, thresholds)) io.out(line);
      io.out("");
      io.out(`${report.messages} messages in ${seconds.toFixed(1)} s${languageModel ? `, ${modelCalls} model calls` : ""}`);
    });
}
