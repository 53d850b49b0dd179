import type { LanguageModel } from "ai";
import { classifyStageOne } from "./classify";
import type { Adjustments } from "./learned-model";
import { classifyWithModel, type TriageResult } from "./model-stage";
import type { MailMessage } from "./parse-message";
import type { SenderRule } from "./sender-rules";

// Both stages of triage for one message: stage 1 (sender rules, the learned stage), then the model only for
// what stage 1 leaves undecided, and only when a model is given. Without one, stage 1's guess stands.

export type TriageOptions = {
  rules?: readonly SenderRule[];
  /** What the owner's corrections taught the learned stage (corrections.ts). */
  adjustments?: Adjustments;
  model?: LanguageModel;
  signal?: AbortSignal;
  maxRetries?: number;
  /** Asked before each model call; false keeps stage 1's guess (a per-run cap on model calls). */
  mayCallModel?: () => boolean;
};

export type TriageOutcome = {
  decision: TriageResult;
  /** Model calls made for this message (0 or 1), for statistics and cost. */
  modelCalls: number;
};

export async function triageMessage(message: MailMessage, options: TriageOptions = {}): Promise<TriageOutcome> {
  const stage1 = classifyStageOne(message, { rules: options.rules, learned: { adjustments: options.adjustments } });
  if (stage1.decided || !options.model) return { decision: stage1, modelCalls: 0 };
  if (options.mayCallModel?.() === false) {
    return { decision: { ...stage1, reasons: [...stage1.reasons, "model not asked: this sync reached its model call limit"] }, modelCalls: 0 };
  }
  const decision = await classifyWithModel(message, stage1, { model: options.model, signal: options.signal, maxRetries: options.maxRetries });
  return { decision, modelCalls: 1 };
}
