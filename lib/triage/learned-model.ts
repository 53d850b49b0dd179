import { z } from "zod";
import { TRIAGE_CATEGORIES, type TriageCategory } from "./categories";
import { FEATURE_BUCKETS, PRIOR_SLOT, PRIOR_WEIGHT, TOTAL_SLOTS, type FeatureVector } from "./features";

// The learned stage's model: multinomial logistic regression over hashed features (features.ts),
// its logits divided by a temperature fitted on cross-validated outputs so that a confidence of
// 0.9 is right about nine times in ten on mail it was not trained on. Weights ship as JSON
// (lib/triage/model/triage-model.json, written by `npm run triage:train`), packed as base64
// int16s, and are unpacked once into one Float32Array: 5 × FEATURE_BUCKETS floats, 2.5 MiB.

const K = TRIAGE_CATEGORIES.length;

export const thresholdPointSchema = z.object({ threshold: z.number(), precision: z.number(), coverage: z.number(), messages: z.number() });
export type ThresholdPoint = z.infer<typeof thresholdPointSchema>;

export const modelFileSchema = z.object({
  version: z.literal(1),
  buckets: z.literal(FEATURE_BUCKETS),
  categories: z.array(z.enum(TRIAGE_CATEGORIES)).length(K),
  bias: z.array(z.number()).length(K),
  temperature: z.number().positive(),
  /** The slots that have weights (base64 of little-endian uint32s) and their weights, K per slot (base64 of int16s times `scale`). */
  slots: z.string(),
  values: z.string(),
  scale: z.number().positive(),
  /** Default auto-action threshold per category, chosen on held-out folds (see cross-validate.ts). */
  thresholds: z.record(z.enum(TRIAGE_CATEGORIES), z.number()),
  /** Held-out precision and coverage per category at each threshold, for the settings page. */
  curves: z.record(z.enum(TRIAGE_CATEGORIES), z.array(thresholdPointSchema)),
  trainedOn: z.record(z.string(), z.number()),
  trainedAt: z.string(),
});
export type ModelFile = z.infer<typeof modelFileSchema>;

export type LearnedModel = { weights: Float32Array; bias: Float64Array; temperature: number };

/** Weight adjustments learned from one owner's corrections: slot → per-category delta. */
export type Adjustments = Map<number, Float64Array>;

/** Weights below this are dropped when packing: they change no decision. */
const PRUNE_BELOW = 0.002;

export function packWeights(weights: Float32Array): Pick<ModelFile, "slots" | "values" | "scale"> {
  let max = 0;
  for (const w of weights) max = Math.max(max, Math.abs(w));
  const scale = (max || 1) / 32_767;
  const slots: number[] = [];
  const values: number[] = [];
  for (let slot = 0; slot < TOTAL_SLOTS; slot++) {
    const row = weights.subarray(slot * K, slot * K + K);
    if (!row.some((w) => Math.abs(w) >= PRUNE_BELOW)) continue;
    slots.push(slot);
    for (const w of row) values.push(Math.round(w / scale));
  }
  return {
    slots: Buffer.from(new Uint32Array(slots).buffer).toString("base64"),
    values: Buffer.from(new Int16Array(values).buffer).toString("base64"),
    scale,
  };
}

/** A model with no learned weights yet: the heuristics' scores through the fixed prior slots. */
export function emptyWeights(): Float32Array {
  const weights = new Float32Array(TOTAL_SLOTS * K);
  for (let c = 0; c < K; c++) weights[(PRIOR_SLOT + c) * K + c] = PRIOR_WEIGHT;
  return weights;
}

export function unpackModel(file: ModelFile): LearnedModel {
  const weights = new Float32Array(TOTAL_SLOTS * K);
  const slotBytes = Buffer.from(file.slots, "base64");
  const valueBytes = Buffer.from(file.values, "base64");
  const slots = new Uint32Array(slotBytes.buffer.slice(slotBytes.byteOffset, slotBytes.byteOffset + slotBytes.length));
  const values = new Int16Array(valueBytes.buffer.slice(valueBytes.byteOffset, valueBytes.byteOffset + valueBytes.length));
  if (values.length !== slots.length * K) throw new Error("triage model: slots and values do not match");
  slots.forEach((slot, i) => {
    for (let c = 0; c < K; c++) weights[slot * K + c] = values[i * K + c]! * file.scale;
  });
  return { weights, bias: Float64Array.from(file.bias), temperature: file.temperature };
}

/** Raw (uncalibrated) scores per category. */
export function logits(model: Pick<LearnedModel, "weights" | "bias">, features: FeatureVector, adjustments?: Adjustments): Float64Array {
  const z = Float64Array.from(model.bias);
  for (const [slot, value] of features) {
    const base = slot * K;
    for (let c = 0; c < K; c++) z[c]! += model.weights[base + c]! * value;
    const delta = adjustments?.get(slot);
    if (delta) for (let c = 0; c < K; c++) z[c]! += delta[c]! * value;
  }
  return z;
}

export function softmax(z: ArrayLike<number>, temperature = 1): Float64Array {
  let max = -Infinity;
  for (let c = 0; c < z.length; c++) max = Math.max(max, z[c]! / temperature);
  const p = new Float64Array(z.length);
  let sum = 0;
  for (let c = 0; c < z.length; c++) sum += p[c] = Math.exp(z[c]! / temperature - max);
  for (let c = 0; c < z.length; c++) p[c]! /= sum;
  return p;
}

/** Calibrated probabilities per category. */
export function predict(model: LearnedModel, features: FeatureVector, adjustments?: Adjustments): Record<TriageCategory, number> {
  const p = softmax(logits(model, features, adjustments), model.temperature);
  return Object.fromEntries(TRIAGE_CATEGORIES.map((c, i) => [c, p[i]!])) as Record<TriageCategory, number>;
}

/**
 * The features that pushed `category` up most (for the decision's reasons): the `n` best of those
 * `nameOf` names, in one pass without sorting every feature.
 */
export function topContributions(
  model: LearnedModel,
  features: FeatureVector,
  category: TriageCategory,
  nameOf: (slot: number) => string | undefined,
  n = 3,
): string[] {
  const c = TRIAGE_CATEGORIES.indexOf(category);
  const top: { name: string; score: number }[] = [];
  for (const [slot, value] of features) {
    if (slot >= FEATURE_BUCKETS) continue;
    const score = model.weights[slot * K + c]! * value;
    if (score <= 0 || (top.length === n && score <= top[n - 1]!.score)) continue;
    const name = nameOf(slot);
    if (name === undefined) continue;
    let i = Math.min(top.length, n - 1);
    while (i > 0 && top[i - 1]!.score < score) i--;
    top.splice(i, 0, { name, score });
    if (top.length > n) top.pop();
  }
  return top.map((x) => x.name);
}
