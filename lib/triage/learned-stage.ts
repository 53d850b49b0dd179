import { HEURISTIC_DECISION_THRESHOLD, TRIAGE_CATEGORIES, type StageOneResult, type TriageCategory } from "./categories";
import { extractFeatures, type FeatureVector } from "./features";
import { applyHeuristics } from "./heuristics";
import { modelFileSchema, predict, topContributions, unpackModel, type Adjustments, type LearnedModel, type ModelFile } from "./learned-model";
import shipped from "./model/triage-model.json";
import type { MailMessage } from "./parse-message";
import { collectEvidence, type Evidence } from "./signals";

// The learned stage: stage 1's signals and the message's words through the shipped model (plus the
// owner's corrections, when given), giving a calibrated category. Its reasons are stage 1's
// evidence for the category it chose and the words that weighed most. What it is not sure of
// (below HEURISTIC_DECISION_THRESHOLD) goes to the language model when one is configured.

let cached: { file: ModelFile; model: LearnedModel } | null = null;

/** The model in the repository, validated and unpacked on first use. */
export function shippedModel(): { file: ModelFile; model: LearnedModel } {
  if (!cached) {
    const file = modelFileSchema.parse(shipped);
    cached = { file, model: unpackModel(file) };
  }
  return cached;
}

/** The auto-action thresholds the shipped model was calibrated for. */
export const shippedThresholds = (): Record<TriageCategory, number> => shippedModel().file.thresholds;

export type Prepared = { evidence: Evidence[]; features: FeatureVector; names: Map<number, string> };

export function prepareMessage(message: MailMessage): Prepared {
  const evidence = collectEvidence(message);
  const names = new Map<number, string>();
  return { evidence, features: extractFeatures(message, evidence, names), names };
}

const round = (value: number) => Math.round(value * 1000) / 1000;
const WORD_FEATURE = /^(?:s|o|b|t):(.+)$/;

export type LearnedOptions = { model?: LearnedModel; adjustments?: Adjustments };

export function classifyLearned(message: MailMessage, options: LearnedOptions = {}, prepared = prepareMessage(message)): StageOneResult {
  const model = options.model ?? shippedModel().model;
  const p = predict(model, prepared.features, options.adjustments);
  const ranked = [...TRIAGE_CATEGORIES].sort((a, b) => p[b] - p[a]);
  const best = ranked[0]!;
  const confidence = round(p[best]);
  const reasons = prepared.evidence
    .filter((e) => e.category === best)
    .sort((a, b) => b.weight - a.weight)
    .slice(0, 3)
    .map((e) => e.reason);
  const wordOf = (slot: number) => {
    const name = prepared.names.get(slot);
    return name === undefined ? undefined : WORD_FEATURE.exec(name)?.[1];
  };
  const words = topContributions(model, prepared.features, best, wordOf, 4);
  if (words.length) reasons.push(`words that point to ${best}: ${[...new Set(words)].join(", ")}`);
  if (options.adjustments?.size && prepared.features.size && [...prepared.features.keys()].some((slot) => options.adjustments!.has(slot))) {
    reasons.push("adjusted by the owner's earlier corrections of similar mail");
  }
  if (reasons.length === 0) reasons.push(applyHeuristics(message).reasons[0]!);
  const decided = confidence >= HEURISTIC_DECISION_THRESHOLD;
  if (!decided) reasons.push(`not sure: ${ranked[1]} ${round(p[ranked[1]!])}`);
  return { category: best, confidence, stage: "learned", decided, reasons };
}
