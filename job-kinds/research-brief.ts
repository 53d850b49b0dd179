import { z } from "zod";
import { defineJobKind } from "@/lib/jobs/define";

// Desk research an agent with web access does well: a summary plus claims that each cite a source.

export const researchBrief = defineJobKind({
  name: "research.brief",
  title: "Research brief",
  description: "Research a topic and answer the questions with a summary and sourced findings.",
  input: z.object({
    topic: z.string().trim().min(1).max(300),
    questions: z.array(z.string().trim().min(1).max(500)).min(1).max(20),
    context: z.string().max(5_000).optional().describe("Why the research is wanted; what is already known"),
  }),
  result: z.object({
    summary: z.string().min(1).max(10_000).describe("Markdown"),
    findings: z
      .array(z.object({ claim: z.string().min(1).max(2_000), source: z.url().describe("Where the claim comes from") }))
      .min(1)
      .max(50),
    confidence: z.enum(["low", "medium", "high"]),
  }),
  leaseMs: 10 * 60_000,
  resultPipeline: "research.save-brief",
  maxRuntimeMs: 60 * 60_000,
  // Topic, questions and context may come from a webhook: all fenced.
  instructions: ({ topic, questions, context }, fence) =>
    [
      "Research the topic below and answer the questions below.",
      "",
      "The topic:",
      fence.wrap(topic),
      "",
      "The questions:",
      fence.wrap(questions.map((q, i) => `${i + 1}. ${q}`).join("\n")),
      ...(context ? ["", "Context from the requester:", fence.wrap(context)] : []),
      "",
      "Return a short markdown `summary`, one `finding` per claim with the URL it comes from (no claim without a",
      "source), and your overall `confidence`. Say so in the summary when a question could not be answered.",
    ].join("\n"),
});
