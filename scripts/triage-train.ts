// npm run triage:train [-- --folds 5 --no-spamassassin --dry-run]
//
// Retrains the learned stage of triage and writes lib/triage/model/triage-model.json:
//   1. reads the development set (tests/fixtures/triage-devset) and, when the dev dependency is
//      installed, the SpamAssassin ham (auxiliary examples, label mapping in the README);
//   2. cross-validates (--folds, default 5) and prints the held-out report: every figure comes
//      from mail the model that classified it was not trained on;
//   3. fits the temperature on all held-out outputs, picks each category's default auto-action
//      threshold (the lowest at which held-out auto-actions stay ≥ 97% precise) and keeps the
//      precision/coverage curves for the settings page;
//   4. trains on the whole development set (plus the auxiliary examples) and writes the file.
// Deterministic: the same data gives the same file.
import { writeFile } from "node:fs/promises";
import path from "node:path";
import { parseArgs } from "node:util";
import { TRIAGE_CATEGORIES } from "@/lib/triage/categories";
import { calibratedDecisions, chooseThresholds, crossValidate, thresholdCurves, trainOn } from "@/lib/triage/cross-validate";
import { FEATURE_BUCKETS } from "@/lib/triage/features";
import { packWeights, type ModelFile } from "@/lib/triage/learned-model";
import { fitTemperature } from "@/lib/triage/learned-train";
import { readDevset } from "@/lib/triage/labelled-mail";
import { formatReport, scoreDecisions } from "@/lib/triage/triage-metrics";
import { prepareLabelled, spamAssassinExamples } from "@/lib/triage/training-data";

const { values: args } = parseArgs({
  options: {
    folds: { type: "string", default: "5" },
    "no-spamassassin": { type: "boolean", default: false },
    "dry-run": { type: "boolean", default: false },
  },
});

const MODEL_FILE = path.join(process.cwd(), "lib/triage/model/triage-model.json");
/** The thresholds and curves alone, small enough for the settings page to load. */
const THRESHOLDS_FILE = path.join(process.cwd(), "lib/triage/model/triage-thresholds.json");
const say = (line: string) => console.error(`[train] ${line}`);
const folds = Number(args.folds);

say("reading the development set …");
const labelled = await prepareLabelled(await readDevset());
say(args["no-spamassassin"] ? "without SpamAssassin" : "reading the SpamAssassin ham (auxiliary examples) …");
const auxiliary = args["no-spamassassin"] ? [] : await spamAssassinExamples();
say(`${labelled.length} labelled messages, ${auxiliary.length} auxiliary; ${folds}-fold cross-validation …`);

const cv = crossValidate(labelled, auxiliary, { folds });
const report = scoreDecisions(cv.decisions, Object.fromEntries(TRIAGE_CATEGORIES.map((c) => [c, 1])) as never);
console.log(`held-out (${folds}-fold cross-validation; thresholds and temperature chosen on the other folds):`);
for (const line of formatReport(report, null)) console.log(line);

const temperature = fitTemperature(labelled.map((l, i) => ({ logits: cv.heldOutLogits[i]!, category: l.category })));
const decisions = calibratedDecisions(labelled, cv.heldOutLogits, temperature);
const thresholds = chooseThresholds(decisions);
const curves = thresholdCurves(decisions);
console.log(`\nshipped model: temperature ${temperature.toFixed(3)}; default thresholds ${TRIAGE_CATEGORIES.map((c) => `${c} ${thresholds[c]}`).join(", ")}`);

if (!args["dry-run"]) {
  say("training on everything …");
  const model = trainOn(labelled, auxiliary);
  const counts = Object.fromEntries(TRIAGE_CATEGORIES.map((c) => [c, labelled.filter((l) => l.category === c).length]));
  const file: ModelFile = {
    version: 1,
    buckets: FEATURE_BUCKETS,
    categories: [...TRIAGE_CATEGORIES],
    bias: [...model.bias].map((b) => Math.round(b * 1e4) / 1e4),
    temperature: Math.round(temperature * 1e4) / 1e4,
    ...packWeights(model.weights),
    thresholds,
    curves,
    trainedOn: { ...counts, spamassassin: auxiliary.length },
    trainedAt: new Date().toISOString().slice(0, 10),
  };
  await writeFile(MODEL_FILE, `${JSON.stringify(file, null, 1)}\n`);
  await writeFile(THRESHOLDS_FILE, `${JSON.stringify({ thresholds, curves, heldOut: { accuracy: report.accuracy, macroF1: report.macroF1, coverage: report.automatic.coverage, precision: report.automatic.precision, ece: report.ece, folds } }, null, 1)}\n`);
  say(`wrote ${path.relative(process.cwd(), MODEL_FILE)}`);
}
