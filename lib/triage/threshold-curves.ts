import { z } from "zod";
import { triageCategorySchema, type TriageCategory } from "./categories";
import shippedThresholds from "./model/triage-thresholds.json";

// No database or model code here: the settings form (a client component) reads these curves.

const pointSchema = z.object({ threshold: z.number(), precision: z.number(), coverage: z.number(), messages: z.number() });
/**
 * How the shipped model's auto-actions fared on held-out mail (cross-validation on the development
 * set, written by `npm run triage:train`): the default threshold per category is the lowest whose
 * auto-actions were at least 97% right, and the curves give precision and coverage at any threshold.
 */
export const thresholdCurvesSchema = z.object({
  thresholds: z.record(triageCategorySchema, z.number().min(0.5).max(1)),
  curves: z.record(triageCategorySchema, z.array(pointSchema)),
});
export const THRESHOLD_CURVES = thresholdCurvesSchema.parse(shippedThresholds);
/** Held-out precision and coverage at a threshold (the nearest point of the curve at or below it). */
export function expectedAtThreshold(category: TriageCategory, threshold: number): { precision: number; coverage: number; messages: number } | null {
  const points = THRESHOLD_CURVES.curves[category];
  const point = [...points].reverse().find((p) => p.threshold <= threshold + 1e-9);
  return point ? { precision: point.precision, coverage: point.coverage, messages: point.messages } : null;
}
