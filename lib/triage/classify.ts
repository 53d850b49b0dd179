import type { StageOneResult } from "./categories";
import { applyHeuristics } from "./heuristics";
import type { Adjustments, LearnedModel } from "./learned-model";
import { classifyLearned } from "./learned-stage";
import type { MailMessage } from "./parse-message";
import { applySenderRules, type SenderRule } from "./sender-rules";

// Stage 1 of triage: the owner's sender rules first (their word is final), then the learned stage
// over stage 1's signals and the message's words (the shipped model, adjusted by the owner's
// corrections). Pure and synchronous: no I/O, no language model; anything it leaves undecided goes
// to the language model when one is configured. `learned: false` gives the signals' own decision
// (the heuristics), for comparison and for tests of the signals.

export type ClassifyOptions = {
  rules?: readonly SenderRule[];
  learned?: false | { model?: LearnedModel; adjustments?: Adjustments };
};

export function classifyStageOne(message: MailMessage, options: ClassifyOptions = {}): StageOneResult {
  const ruled = applySenderRules(message.from, options.rules ?? []);
  if (ruled) return ruled;
  return options.learned === false ? applyHeuristics(message) : classifyLearned(message, options.learned ?? {});
}
