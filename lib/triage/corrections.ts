import { z } from "zod";
import { autocommit, type Tx } from "@/lib/db/transaction";
import { TRIAGE_CATEGORIES, triageCategorySchema, type TriageCategory } from "./categories";
import { FEATURE_BUCKETS, type FeatureVector } from "./features";
import { logits, softmax, type Adjustments, type LearnedModel } from "./learned-model";
import { prepareMessage, shippedModel } from "./learned-stage";
import type { MailMessage } from "./parse-message";

// Learning from the owner's corrections in their own mailbox. Each correction in triage_feedback
// keeps the corrected message's features; replayed in order on top of the shipped model, each one
// moves the weights of the message's words (never the shared shape features, so one correction
// does not tilt all plain-text mail) until the model gives the owner's category with confidence.
// Mail from other senders with the same words then leans the same way; sender rules stay the tool
// for "everything from this sender".

const K = TRIAGE_CATEGORIES.length;
/** Replaying stops for a correction once the model gives the owner's category this confidence. */
const TARGET_CONFIDENCE = 0.95;
const MAX_STEPS = 25;
const STEP = 1.5;
/** The most corrections replayed per mailbox (the newest). */
const MAX_CORRECTIONS = 2_000;

export const storedFeaturesSchema = z.array(z.tuple([z.number().int().min(0), z.number()])).max(5_000);

export type Correction = { features: FeatureVector; category: TriageCategory };

/** The features of a message as stored with a correction. */
export function featuresForFeedback(message: MailMessage): [number, number][] {
  return [...prepareMessage(message).features].map(([slot, value]) => [slot, Math.round(value * 1e4) / 1e4]);
}

/** Per-slot weight changes so the model agrees with each correction, in order. */
export function learnAdjustments(corrections: readonly Correction[], model: LearnedModel = shippedModel().model): Adjustments {
  const adjustments: Adjustments = new Map();
  for (const { features, category } of corrections) {
    const words = [...features].filter(([slot]) => slot < FEATURE_BUCKETS);
    const norm = words.reduce((sum, [, value]) => sum + value * value, 0);
    if (norm === 0) continue;
    const target = TRIAGE_CATEGORIES.indexOf(category);
    for (let step = 0; step < MAX_STEPS; step++) {
      const p = softmax(logits(model, features, adjustments), model.temperature);
      if (p[target]! >= TARGET_CONFIDENCE) break;
      for (const [slot, value] of words) {
        const delta = adjustments.get(slot) ?? new Float64Array(K);
        for (let c = 0; c < K; c++) delta[c]! -= ((STEP * model.temperature) / norm) * (p[c]! - (c === target ? 1 : 0)) * value;
        adjustments.set(slot, delta);
      }
    }
  }
  return adjustments;
}

/** The owner's corrections in this mailbox, replayed onto the shipped model. */
export async function loadAdjustments(accountId: string, tx: Tx = autocommit()): Promise<Adjustments> {
  const rows = await tx.triageFeedback.findMany({
    where: { accountId },
    orderBy: { createdAt: "desc" },
    take: MAX_CORRECTIONS,
    select: { toCategory: true, features: true },
  });
  const corrections: Correction[] = [];
  for (const row of rows.reverse()) {
    const features = storedFeaturesSchema.safeParse(row.features);
    const category = triageCategorySchema.safeParse(row.toCategory);
    if (features.success && category.success) corrections.push({ features: new Map(features.data), category: category.data });
  }
  return learnAdjustments(corrections);
}
