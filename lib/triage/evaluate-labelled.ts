import type { LanguageModel } from "ai";
import { HEURISTIC_DECISION_THRESHOLD, type StageOneResult } from "./categories";
import { crossValidate } from "./cross-validate";
import type { LabelledMessage } from "./labelled-mail";
import type { TrainingExample } from "./learned-train";
import { classifyWithModel } from "./model-stage";
import { parseMessage } from "./parse-message";
import type { SenderRule } from "./sender-rules";
import { DEFAULT_CATEGORY_SETTINGS } from "./settings";
import { prepareLabelled } from "./training-data";
import { triageMessage } from "./triage";
import { scoreDecisions, type ScoredDecision, type Thresholds, type TriageReport } from "./triage-metrics";

// `pa triage eval`: triage measured on labelled mail. Two ways:
//   - as shipped: every message through stage 1 (sender rules, the learned stage with the shipped
//     weights) and, with a language model, the model for what stage 1 leaves undecided; auto-actions
//     at the default thresholds;
//   - cross-validated (`folds`): the learned stage retrained on all folds but one and tested on that
//     one, so no message is classified by weights that saw it; temperature and thresholds come from
//     the other folds' held-out outputs. With a language model, what the held-out stage 1 leaves
//     undecided goes to the model, as in a sync.

export type EvaluateOptions = { folds?: number; rules?: readonly SenderRule[]; languageModel?: LanguageModel; auxiliary?: readonly TrainingExample[] };
export type Evaluation = { report: TriageReport; thresholds: Thresholds | null; modelCalls: number; seconds: number };

export const defaultThresholds = (): Thresholds => Object.fromEntries(Object.values(DEFAULT_CATEGORY_SETTINGS).map((s) => [s.category, s.threshold])) as Thresholds;

export async function evaluateLabelled(messages: readonly LabelledMessage[], options: EvaluateOptions = {}): Promise<Evaluation> {
  const started = performance.now();
  const thresholds = defaultThresholds();
  let modelCalls = 0;
  const decisions: ScoredDecision[] = [];
  if (!options.folds) {
    for (const m of messages) {
      const { decision, modelCalls: calls } = await triageMessage(await parseMessage(m.raw), { rules: options.rules, model: options.languageModel });
      modelCalls += calls;
      decisions.push({ truth: m.category, predicted: decision.category, confidence: decision.confidence });
    }
    return { report: scoreDecisions(decisions, thresholds), thresholds, modelCalls, seconds: (performance.now() - started) / 1000 };
  }
  const cv = crossValidate(await prepareLabelled(messages), options.auxiliary ?? [], { folds: options.folds });
  for (const [i, d] of cv.decisions.entries()) {
    if (!options.languageModel || d.confidence >= HEURISTIC_DECISION_THRESHOLD) {
      decisions.push(d);
      continue;
    }
    const stage1: StageOneResult = { category: d.predicted, confidence: d.confidence, stage: "learned", decided: false, reasons: ["held-out learned stage"] };
    const answer = await classifyWithModel(await parseMessage(messages[i]!.raw), stage1, { model: options.languageModel });
    modelCalls++;
    decisions.push(answer.stage === "model" ? { truth: d.truth, predicted: answer.category, confidence: answer.confidence } : d);
  }
  return { report: scoreDecisions(decisions, thresholds), thresholds: null, modelCalls, seconds: (performance.now() - started) / 1000 };
}
