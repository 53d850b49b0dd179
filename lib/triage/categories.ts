import { z } from "zod";

// What triage decides about one message. Stage 1 (the owner's sender rules, then header and content
// heuristics) either decides with confidence or hands its best guess to stage 2, the model.

export const TRIAGE_CATEGORIES = ["action_needed", "finance", "notifications", "newsletters", "other"] as const;
export const triageCategorySchema = z.enum(TRIAGE_CATEGORIES);
export type TriageCategory = z.infer<typeof triageCategorySchema>;

/** rule: the owner's sender rule; heuristic: stage 1's signals alone; learned: the learned stage; model: the language model. */
export const triageStageSchema = z.enum(["rule", "heuristic", "learned", "model"]);
export type TriageStage = z.infer<typeof triageStageSchema>;

export const triageDecisionSchema = z.object({
  category: triageCategorySchema,
  /** How sure the stage is, 0 to 1. Actions apply automatically only above a threshold. */
  confidence: z.number().min(0).max(1),
  stage: triageStageSchema,
  /** Short, human-readable: why this category (the evidence that counted). */
  reasons: z.array(z.string()).min(1),
});
export type TriageDecision = z.infer<typeof triageDecisionSchema>;

/**
 * Stage 1's answer. `decided: false` is its best guess for a message it found ambiguous: the model
 * stage takes those over and may use the guess and its reasons as a hint.
 */
export type StageOneResult = TriageDecision & { stage: "rule" | "heuristic" | "learned"; decided: boolean };

/** The confidence at or above which stage 1's heuristics decide on their own. */
export const HEURISTIC_DECISION_THRESHOLD = 0.85;
