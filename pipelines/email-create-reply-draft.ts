import { z } from "zod";
import { createReplyDraftForJob } from "@/lib/approvals/reply-drafts";
import { artifactSchema, resultHandlerInput } from "@/lib/jobs/result-schemas";
import { definePipeline } from "@/lib/pipelines/define";

// inbox.reply-draft's result handler: a Gmail draft in the original thread and an approval to send
// it. It writes to Gmail but never sends; sending is email.send-draft, run only on approval.

export const emailCreateReplyDraft = definePipeline({
  name: "email.create-reply-draft",
  title: "Save a reply draft in Gmail",
  description:
    "Turns a succeeded inbox.reply-draft job into a Gmail draft in the original thread (In-Reply-To and References set) and " +
    "an approval to send it. Never sends. Runs when such a job succeeds; running it again finds the same draft.",
  input: resultHandlerInput,
  output: z.object({ created: z.boolean(), artifact: artifactSchema }),
  areas: [],
  sideEffects: "external",
  timeoutMs: 30_000,
  run: ({ jobId }) => createReplyDraftForJob(jobId),
});
