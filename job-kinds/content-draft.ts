import { z } from "zod";
import { defineJobKind } from "@/lib/jobs/define";

// A first draft for the owner to edit: post, newsletter issue, email or thread.

export const contentDraft = defineJobKind({
  name: "content.draft",
  title: "Draft content",
  description: "Write a first draft (post, newsletter, email or thread) from a brief.",
  input: z.object({
    brief: z.string().trim().min(1).max(10_000).describe("What the piece is about and for whom"),
    format: z.enum(["blog-post", "newsletter", "email", "social-thread"]),
    tone: z.string().trim().max(200).default("clear and friendly"),
    maxWords: z.number().int().min(50).max(5_000).optional(),
  }),
  result: z.object({
    title: z.string().min(1).max(300),
    body: z.string().min(1).max(100_000).describe("Markdown"),
    notes: z.string().max(5_000).default("").describe("Open questions, assumptions, things to check"),
  }),
  leaseMs: 10 * 60_000,
  resultPipeline: "content.save-draft",
  // The brief and the tone may come from a webhook: both are fenced.
  instructions: ({ brief, format, tone, maxWords }, fence) =>
    [
      `Write a **${format}** draft${maxWords ? ` of at most ${maxWords} words` : ""}, in the tone described below.`,
      "",
      "The brief:",
      fence.wrap(brief),
      "",
      "The tone:",
      fence.wrap(tone),
      "",
      "Return a `title`, the `body` in markdown, and `notes` listing anything you assumed or the owner should check.",
    ].join("\n"),
});
