import { TRIAGE_CATEGORIES, type TriageCategory } from "./categories";
import type { FeatureVector } from "./features";
import { logits, softmax, type LearnedModel, type ThresholdPoint } from "./learned-model";
import { balanceClasses, fitTemperature, seededRandom, shuffle, trainLogistic, type TrainingExample, type TrainOptions } from "./learned-train";
import type { ScoredDecision, Thresholds } from "./triage-metrics";

// k-fold cross-validation of the learned stage, so its figures come from mail it was not trained
// on: each fold is classified by a model trained on the other folds (plus the auxiliary corpus,
// which is never tested on). Calibration and auto-action thresholds are held out too: the
// temperature and thresholds used on fold i are fitted on the other folds' held-out outputs only.

export type LabelledFeatures = { features: FeatureVector; category: TriageCategory };

/** The precision auto-actions must reach on held-out mail. */
export const TARGET_PRECISION = 0.97;
/** Thresholds are chosen on this grid; a category that never reaches the target gets the last step. */
const GRID = Array.from({ length: 50 }, (_, i) => Math.round((0.5 + i * 0.01) * 100) / 100);
/** Fewer confident decisions than this for a category, and its precision is too noisy to trust: its threshold stays high. */
const MIN_DECISIONS = 5;
const FALLBACK_THRESHOLD = 0.99;
/** No default below this: a category with few, easy examples (finance) is not trusted at any confidence. */
const THRESHOLD_FLOOR = 0.7;

/** Fold number per item; every category spread evenly over the folds. */
export function stratifiedFolds(categories: readonly TriageCategory[], folds: number, seed = 14): number[] {
  const random = seededRandom(seed);
  const fold = new Array<number>(categories.length).fill(0);
  for (const c of TRIAGE_CATEGORIES) {
    const members = shuffle(
      categories.flatMap((x, i) => (x === c ? [i] : [])),
      random,
    );
    members.forEach((index, j) => (fold[index] = j % folds));
  }
  return fold;
}

/** The training settings the shipped model and the cross-validation use (chosen by cross-validation). */
export const TRAIN_OPTIONS: TrainOptions = { epochs: 12, learningRate: 0.1, l2: 1e-3 };

/** Trains on the labelled set (weight 1 each) plus auxiliary examples, classes balanced. */
export function trainOn(labelled: readonly LabelledFeatures[], auxiliary: readonly TrainingExample[], options?: TrainOptions): LearnedModel {
  return trainLogistic(balanceClasses([...labelled.map((l) => ({ ...l, weight: 1 })), ...auxiliary]), options ?? TRAIN_OPTIONS);
}

/** Per category: precision and coverage of the decisions at or above each threshold of the grid. */
export function thresholdCurves(decisions: readonly ScoredDecision[]): Record<TriageCategory, ThresholdPoint[]> {
  return Object.fromEntries(
    TRIAGE_CATEGORIES.map((c) => {
      const mine = decisions.filter((d) => d.predicted === c);
      return [
        c,
        GRID.map((threshold) => {
          const above = mine.filter((d) => d.confidence >= threshold);
          const right = above.filter((d) => d.truth === c).length;
          return { threshold, precision: above.length ? right / above.length : 1, coverage: decisions.length ? above.length / decisions.length : 0, messages: above.length };
        }),
      ];
    }),
  ) as Record<TriageCategory, ThresholdPoint[]>;
}

/** The lowest threshold per category at which auto-actions are at least `target` precise on these (held-out) decisions. */
export function chooseThresholds(decisions: readonly ScoredDecision[], target = TARGET_PRECISION): Thresholds {
  const curves = thresholdCurves(decisions);
  return Object.fromEntries(
    TRIAGE_CATEGORIES.map((c) => {
      const points = curves[c];
      let chosen = FALLBACK_THRESHOLD;
      for (let i = points.length - 1; i >= 0; i--) {
        const point = points[i]!;
        // The lowest threshold whose auto-actions reach the target (not: every threshold above it),
        // so one confident mistake at 0.99 does not push the threshold past all the right ones.
        if (point.messages >= MIN_DECISIONS && point.precision >= target) chosen = point.threshold;
      }
      return [c, Math.max(chosen, THRESHOLD_FLOOR)];
    }),
  ) as Thresholds;
}

export type CrossValidation = {
  /** Held-out decisions, in the order of the labelled set. */
  decisions: (ScoredDecision & { fold: number })[];
  /** Held-out logits (uncalibrated), for fitting the shipped model's temperature. */
  heldOutLogits: Float64Array[];
};

const toDecision = (z: Float64Array, truth: TriageCategory, temperature: number): ScoredDecision => {
  const p = softmax(z, temperature);
  let best = 0;
  for (let c = 1; c < p.length; c++) if (p[c]! > p[best]!) best = c;
  return { truth, predicted: TRIAGE_CATEGORIES[best]!, confidence: p[best]! };
};

export function crossValidate(labelled: readonly LabelledFeatures[], auxiliary: readonly TrainingExample[], options: { folds: number; seed?: number; train?: TrainOptions }): CrossValidation {
  const fold = stratifiedFolds(
    labelled.map((l) => l.category),
    options.folds,
    options.seed,
  );
  const heldOutLogits = new Array<Float64Array>(labelled.length);
  for (let f = 0; f < options.folds; f++) {
    const model = trainOn(
      labelled.filter((_, i) => fold[i] !== f),
      auxiliary,
      options.train,
    );
    labelled.forEach((l, i) => {
      if (fold[i] === f) heldOutLogits[i] = logits(model, l.features);
    });
  }
  // Fold f is calibrated and thresholded with what the other folds' held-out outputs say.
  const perFold = new Map<number, { temperature: number; thresholds: Thresholds }>();
  for (let f = 0; f < options.folds; f++) {
    const others = labelled.flatMap((o, j) => (fold[j] !== f ? [{ logits: heldOutLogits[j]!, category: o.category }] : []));
    const temperature = fitTemperature(others);
    const thresholds = chooseThresholds(others.map((o) => toDecision(o.logits, o.category, temperature)));
    perFold.set(f, { temperature, thresholds });
  }
  return {
    decisions: labelled.map((l, i) => {
      const { temperature, thresholds } = perFold.get(fold[i]!)!;
      const d = toDecision(heldOutLogits[i]!, l.category, temperature);
      return { ...d, threshold: thresholds[d.predicted], fold: fold[i]! };
    }),
    heldOutLogits,
  };
}

/** Held-out decisions calibrated with one temperature (for the shipped model's curves and thresholds). */
export function calibratedDecisions(labelled: readonly LabelledFeatures[], heldOutLogits: readonly Float64Array[], temperature: number): ScoredDecision[] {
  return labelled.map((l, i) => toDecision(heldOutLogits[i]!, l.category, temperature));
}
