import { TRIAGE_CATEGORIES, type TriageCategory } from "./categories";
import { FEATURE_BUCKETS, TOTAL_SLOTS, type FeatureVector } from "./features";
import { emptyWeights, logits, softmax, type LearnedModel } from "./learned-model";

// Training the learned stage: multinomial logistic regression by AdaGrad over sparse hashed
// features, L2-regularised, each example weighted (by source and by class, so 10 finance messages
// are not drowned by 2,000 list posts). Deterministic: a seeded shuffle, so retraining on the same
// data gives the same weights. Then a temperature for calibration, fitted on held-out logits.

const K = TRIAGE_CATEGORIES.length;

export type TrainingExample = { features: FeatureVector; category: TriageCategory; weight: number };

export type TrainOptions = { epochs?: number; learningRate?: number; l2?: number; seed?: number };

/** mulberry32: small, seeded, good enough to shuffle. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function shuffle<T>(items: T[], random: () => number): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [items[i], items[j]] = [items[j]!, items[i]!];
  }
  return items;
}

/** Weights each example so every category weighs the same in total (times its own weight). */
export function balanceClasses(examples: TrainingExample[]): TrainingExample[] {
  const totals = new Map<TriageCategory, number>();
  for (const e of examples) totals.set(e.category, (totals.get(e.category) ?? 0) + e.weight);
  const sum = [...totals.values()].reduce((a, b) => a + b, 0);
  const share = sum / totals.size;
  // Square root: full balancing would make 10 finance messages weigh as much as 300 of the rest.
  return examples.map((e) => ({ ...e, weight: e.weight * Math.sqrt(share / totals.get(e.category)!) }));
}

export function trainLogistic(examples: readonly TrainingExample[], options: TrainOptions = {}): LearnedModel {
  const { epochs = 12, learningRate = 0.3, l2 = 1e-4, seed = 14 } = options;
  const weights = emptyWeights();
  const squares = new Float32Array(TOTAL_SLOTS * K);
  const bias = new Float64Array(K);
  const biasSquares = new Float64Array(K);
  const model = { weights, bias };
  const random = seededRandom(seed);
  const order = examples.map((_, i) => i);
  const gradient = new Float64Array(K);
  for (let epoch = 0; epoch < epochs; epoch++) {
    for (const index of shuffle(order, random)) {
      const example = examples[index]!;
      const p = softmax(logits(model, example.features));
      const target = TRIAGE_CATEGORIES.indexOf(example.category);
      for (let c = 0; c < K; c++) gradient[c] = example.weight * (p[c]! - (c === target ? 1 : 0));
      for (let c = 0; c < K; c++) {
        biasSquares[c]! += gradient[c]! ** 2;
        bias[c]! -= (learningRate * gradient[c]!) / Math.sqrt(biasSquares[c]! + 1e-8);
      }
      for (const [slot, value] of example.features) {
        if (slot >= FEATURE_BUCKETS) continue; // the heuristics' prior keeps its fixed weights
        const base = slot * K;
        for (let c = 0; c < K; c++) {
          const g = gradient[c]! * value + l2 * weights[base + c]!;
          squares[base + c]! += g * g;
          weights[base + c]! -= (learningRate * g) / Math.sqrt(squares[base + c]! + 1e-8);
        }
      }
    }
  }
  return { weights, bias, temperature: 1 };
}

/** The temperature that minimises the log loss of held-out logits (golden-section search). */
export function fitTemperature(heldOut: readonly { logits: ArrayLike<number>; category: TriageCategory }[]): number {
  const loss = (t: number) => {
    let sum = 0;
    for (const { logits: z, category } of heldOut) sum -= Math.log(Math.max(softmax(z, t)[TRIAGE_CATEGORIES.indexOf(category)]!, 1e-12));
    return sum;
  };
  let lo = 0.05;
  let hi = 20;
  const ratio = (Math.sqrt(5) - 1) / 2;
  for (let i = 0; i < 60; i++) {
    const a = hi - ratio * (hi - lo);
    const b = lo + ratio * (hi - lo);
    if (loss(a) < loss(b)) hi = b;
    else lo = a;
  }
  return (lo + hi) / 2;
}
