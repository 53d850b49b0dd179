import { z } from "zod";
import { replyDraftApproval } from "@/lib/approvals/reply-drafts";
import { gmailProviderFor } from "@/lib/email/accounts";
import { AppError } from "@/lib/errors";
import { definePipeline } from "@/lib/pipelines/define";

// Sends a reply draft, and only one the owner approved: the approval names the draft, and the
// approval's own id is the run's idempotency key, so exactly that draft goes out, once. Gmail
// deletes a draft when it sends it, so even a second run could not send it again.

export const emailSendDraft = definePipeline({
  name: "email.send-draft",
  title: "Send an approved reply draft",
  description:
    "Sends the Gmail draft of an approved reply_draft approval (approve it on the Approvals page, with the API or the CLI). " +
    "Refuses any approval that is not approved.",
  input: z.object({ approvalId: z.string().regex(/^apr_[0-9a-z]{26}$/, "is not an approval id") }),
  output: z.object({ messageId: z.string(), threadId: z.string(), draftId: z.string() }),
  areas: [],
  sideEffects: "external",
  timeoutMs: 30_000,
  async run({ approvalId }) {
    const { draft } = await replyDraftApproval(approvalId, ["approved"]);
    const provider = await gmailProviderFor(draft.accountId);
    if (!(await provider.getDraft(draft.draftId))) {
      throw new AppError("conflict", "The draft is no longer in Gmail (sent or deleted there); nothing was sent.");
    }
    const sent = await provider.sendDraft(draft.draftId);
    return { ...sent, draftId: draft.draftId };
  },
});
