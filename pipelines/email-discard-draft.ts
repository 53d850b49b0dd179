import { z } from "zod";
import { replyDraftApproval } from "@/lib/approvals/reply-drafts";
import { gmailProviderFor } from "@/lib/email/accounts";
import { definePipeline } from "@/lib/pipelines/define";

// The undo of a reply draft: deletes it from Gmail once the owner denied sending it.

export const emailDiscardDraft = definePipeline({
  name: "email.discard-draft",
  title: "Delete a denied reply draft",
  description: "Deletes the Gmail draft of a denied reply_draft approval (denying one does this). deleted is false when it was already gone.",
  input: z.object({ approvalId: z.string().regex(/^apr_[0-9a-z]{26}$/, "is not an approval id") }),
  output: z.object({ deleted: z.boolean(), draftId: z.string() }),
  areas: [],
  sideEffects: "external",
  timeoutMs: 30_000,
  async run({ approvalId }) {
    const { draft } = await replyDraftApproval(approvalId, ["denied"]);
    const provider = await gmailProviderFor(draft.accountId);
    return { deleted: await provider.deleteDraft(draft.draftId), draftId: draft.draftId };
  },
});
