"use client";

import { useRouter } from "next/navigation";
import { ApprovalCard } from "@/components/approvals/approval-card";
import { decideOwnReplyDraft, type Decide } from "@/components/approvals/decide";
import type { ApprovalDetail } from "@/lib/approvals/read-approvals";

// The replies agents drafted for this person's own mail, waiting in Gmail to be sent: each with the
// message it answers and the text, Send (once) or Delete draft (with a reason). They are the
// mailbox owner's to decide whatever their role; nobody else sees them. Hidden when none wait.

export function ReplyDraftsPanel({ drafts }: { drafts: ApprovalDetail[] }) {
  const router = useRouter();
  const decide: Decide = async (id, action, reason) => {
    const error = await decideOwnReplyDraft(id, action, reason);
    router.refresh();
    return error;
  };
  if (drafts.length === 0) return null;
  return (
    <section aria-labelledby="reply-drafts-heading" className="mt-6" data-testid="reply-drafts">
      <h2 id="reply-drafts-heading" className="mb-3 text-sm font-semibold text-slate-900">
        Reply drafts waiting for you <span className="text-slate-500">({drafts.length})</span>
      </h2>
      <ul className="space-y-3">
        {drafts.map((d) => (
          <ApprovalCard key={d.approval.id} detail={d} decide={decide} own />
        ))}
      </ul>
    </section>
  );
}
