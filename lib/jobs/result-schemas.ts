import { z } from "zod";

// The shapes result pipelines share, in a module of their own: the pipelines import it, and so
// does the result-handler service that the pipeline registry is loaded by (no import cycle).

/** What a result pipeline produced, as its output's `artifact` says. */
export const artifactSchema = z
  .object({
    type: z.enum(["hub-note", "content-draft", "gmail-draft", "none"]),
    label: z.string().describe("What to show the owner, e.g. the note's path"),
    path: z.string().optional().describe("Hub-relative path of a note or draft file"),
    draftId: z.string().optional(),
    threadId: z.string().optional(),
    accountId: z.string().optional(),
    approvalId: z.string().optional().describe("The approval waiting on the owner, if any"),
  })
  .meta({ id: "ResultArtifact" });

export type Artifact = z.infer<typeof artifactSchema>;

export const resultHandlerInput = z.object({ jobId: z.string().regex(/^job_[0-9a-z]{26}$/, "is not a job id") });

