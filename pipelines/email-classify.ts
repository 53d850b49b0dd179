import { z } from "zod";
import { definePipeline } from "@/lib/pipelines/define";
import { TRIAGE_CATEGORIES, triageStageSchema } from "@/lib/triage/categories";
import { parseMessage } from "@/lib/triage/parse-message";
import { loadSenderRules } from "@/lib/triage/rules";
import { triageModel } from "@/lib/triage/sync";
import { triageMessage } from "@/lib/triage/triage";

// Classifies one raw email (RFC 822 text) the way a sync would: the owner's sender rules, the
// heuristics, then the model for what they leave ambiguous. Reads nothing from Gmail and changes
// nothing: for agents and assistants that hold an email and want its category.

export const emailClassify = definePipeline({
  name: "email.classify",
  title: "Classify an email",
  description:
    "Sorts one raw email (full RFC 822 text: headers, blank line, body) into action_needed, finance, notifications, newsletters or other, " +
    "with a confidence, the stage that decided (rule, heuristic, model) and short reasons. Changes nothing.",
  input: z.object({ raw: z.string().min(1).max(1_000_000).describe("The message source, headers included") }),
  output: z.object({
    category: z.enum(TRIAGE_CATEGORIES),
    confidence: z.number().min(0).max(1),
    stage: triageStageSchema,
    reasons: z.array(z.string()),
    modelCalls: z.number().int(),
  }),
  areas: ["inbox"],
  timeoutMs: 60_000,
  async run(input, ctx) {
    const message = await parseMessage(input.raw);
    const { decision, modelCalls } = await triageMessage(message, { rules: await loadSenderRules(), model: triageModel() ?? undefined, signal: ctx.signal });
    return { category: decision.category, confidence: decision.confidence, stage: decision.stage, reasons: decision.reasons, modelCalls };
  },
});
