import type { StageOneResult } from "./categories";
import { applyHeuristics } from "./heuristics";
import type { MailMessage } from "./parse-message";
import { applySenderRules, type SenderRule } from "./sender-rules";

// Stage 1 of triage: the owner's sender rules first (their word is final), then the heuristics.
// Pure and synchronous: no I/O, no model; anything it leaves undecided goes to stage 2.

export type ClassifyOptions = { rules?: readonly SenderRule[] };

export function classifyStageOne(message: MailMessage, options: ClassifyOptions = {}): StageOneResult {
  return applySenderRules(message.from, options.rules ?? []) ?? applyHeuristics(message);
}
