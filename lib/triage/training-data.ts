import type { TriageCategory } from "./categories";
import { readCorpus } from "./corpus";
import type { LabelledFeatures } from "./cross-validate";
import { labelCorpusMessage } from "./evaluate-corpus";
import { extractFeatures } from "./features";
import type { TrainingExample } from "./learned-train";
import type { LabelledMessage } from "./labelled-mail";
import { parseMessage } from "./parse-message";
import { collectEvidence } from "./signals";

// What the learned stage is trained on: labelled mail (the development set, or the owner's own
// labels) and, as auxiliary examples, the SpamAssassin ham with the README's label mapping:
// list and bulk mail → newsletters, the rest (mail between people) → other, leaving out what
// stage 1 sees as automated (notifications the folders cannot name). Auxiliary examples
// weigh less than hand-labelled ones: their labels are a mapping, not a reading.

export const AUXILIARY_WEIGHT = 0.1;

export async function featuresOf(raw: Buffer) {
  const message = await parseMessage(raw);
  return extractFeatures(message, collectEvidence(message));
}

export async function prepareLabelled(messages: readonly LabelledMessage[]): Promise<(LabelledFeatures & { source: string })[]> {
  const out: (LabelledFeatures & { source: string })[] = [];
  for (const m of messages) out.push({ source: m.source, category: m.category, features: await featuresOf(m.raw) });
  return out;
}

/** SpamAssassin ham as auxiliary training examples; empty when the corpus (a dev dependency) is not installed. */
export async function spamAssassinExamples(weight = AUXILIARY_WEIGHT): Promise<TrainingExample[]> {
  const examples: TrainingExample[] = [];
  try {
    for await (const item of readCorpus(["easy-ham-1", "easy-ham-2", "hard-ham-1"])) {
      const message = await parseMessage(item.raw);
      const evidence = collectEvidence(message);
      // The folders cannot tell a notification (cron output, a commit on a list) from the rest: such mail is left out.
      if (evidence.filter((e) => e.category === "notifications").reduce((sum, e) => sum + e.weight, 0) >= 2.5) continue;
      const category: TriageCategory = labelCorpusMessage(item, message) === "bulk" ? "newsletters" : "other";
      examples.push({ features: extractFeatures(message, evidence), category, weight });
    }
  } catch (error) {
    if (error instanceof Error && error.message.startsWith("The SpamAssassin corpus is not installed")) return [];
    throw error;
  }
  return examples;
}
