import { HEURISTIC_DECISION_THRESHOLD, TRIAGE_CATEGORIES, type StageOneResult, type TriageCategory } from "./categories";
import type { MailMessage } from "./parse-message";
import { collectEvidence, GROUP_CAPS, type Evidence, type EvidenceGroup } from "./signals";

// Turns the signals' evidence into one decision. Each category's score is its prior plus its
// evidence (each group capped); the confidence is the softmax probability of the best category.
// Scale: with "other" at a prior of 1 and nothing else firing, one strong signal (3.5 points, e.g.
// List-Id) reaches ~0.85, two agreeing ones ~0.96, and evidence split between two categories stays
// below the threshold, so the model gets it.

/** "other" is the default when nothing fires; the rest start at 0. */
const PRIORS: Record<TriageCategory, number> = { action_needed: 0, finance: 0, notifications: 0, newsletters: 0, other: 1 };
/** The most any category can score: keeps confidences off 1.0, which only the owner's rules give. */
const MAX_SCORE = 8;
const MAX_REASONS = 4;

export type CategoryScores = Record<TriageCategory, number>;

export function scoreEvidence(evidence: readonly Evidence[]): CategoryScores {
  const byGroup = new Map<string, number>();
  for (const e of evidence) {
    const key = `${e.category}/${e.group}`;
    byGroup.set(key, (byGroup.get(key) ?? 0) + e.weight);
  }
  const scores = { ...PRIORS };
  for (const [key, total] of byGroup) {
    const [category, group] = key.split("/") as [TriageCategory, EvidenceGroup];
    scores[category] += Math.min(total, GROUP_CAPS[group]);
  }
  for (const category of TRIAGE_CATEGORIES) scores[category] = Math.min(scores[category], MAX_SCORE);
  return scores;
}

/** Softmax over the scores. */
export function probabilities(scores: CategoryScores): CategoryScores {
  const exp = TRIAGE_CATEGORIES.map((c) => Math.exp(scores[c]));
  const sum = exp.reduce((a, b) => a + b, 0);
  return Object.fromEntries(TRIAGE_CATEGORIES.map((c, i) => [c, exp[i]! / sum])) as CategoryScores;
}

const round = (value: number) => Math.round(value * 1000) / 1000;

/** Stage 1's heuristic decision; `decided` only at or above HEURISTIC_DECISION_THRESHOLD. */
export function applyHeuristics(message: MailMessage): StageOneResult {
  const evidence = collectEvidence(message);
  const p = probabilities(scoreEvidence(evidence));
  const ranked = [...TRIAGE_CATEGORIES].sort((a, b) => p[b] - p[a]);
  const best = ranked[0]!;
  const runnerUp = ranked[1]!;
  const confidence = round(p[best]);
  const decided = confidence >= HEURISTIC_DECISION_THRESHOLD;

  const reasons = evidence
    .filter((e) => e.category === best)
    .sort((a, b) => b.weight - a.weight)
    .slice(0, MAX_REASONS)
    .map((e) => e.reason);
  if (reasons.length === 0) reasons.push(best === "other" ? "no bulk, automated, finance or action signal" : `leaning ${best}`);
  if (!decided) {
    const against = evidence.find((e) => e.category === runnerUp);
    reasons.push(
      against
        ? `ambiguous: also ${runnerUp} (${against.reason}), ${round(p[runnerUp])}`
        : `ambiguous: not enough evidence (best ${confidence}, needs ${HEURISTIC_DECISION_THRESHOLD})`,
    );
  }
  return { category: best, confidence, stage: "heuristic", decided, reasons };
}
