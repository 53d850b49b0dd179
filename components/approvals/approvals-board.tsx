"use client";

import { useRouter } from "next/navigation";
import { Card, EmptyState } from "@/components/ui/card";
import type { ApprovalDetail } from "@/lib/approvals/read-approvals";
import { ApprovalCard } from "./approval-card";
import { decideApproval, type Decide } from "./decide";

// The Approvals page: what waits on the owner first, then what was decided lately.

export function ApprovalsBoard({ pending, decided }: { pending: ApprovalDetail[]; decided: ApprovalDetail[] }) {
  const router = useRouter();
  const decide: Decide = async (id, action, reason) => {
    const error = await decideApproval(id, action, reason);
    router.refresh();
    return error;
  };
  return (
    <div className="space-y-8">
      <section aria-labelledby="pending-heading">
        <h2 id="pending-heading" className="mb-3 text-sm font-semibold text-slate-900">
          Waiting for you <span className="text-slate-500">({pending.length})</span>
        </h2>
        {pending.length ? (
          <ul className="space-y-3">{pending.map((d) => <ApprovalCard key={d.approval.id} detail={d} decide={decide} />)}</ul>
        ) : (
          <Card>
            <EmptyState title="Nothing waits for you">
              Reply drafts, agents&apos; requests to act on the outside world and results an agent flagged appear here.
            </EmptyState>
          </Card>
        )}
      </section>
      {decided.length ? (
        <section aria-labelledby="decided-heading">
          <h2 id="decided-heading" className="mb-3 text-sm font-semibold text-slate-900">Decided lately</h2>
          <ul className="space-y-3">{decided.map((d) => <ApprovalCard key={d.approval.id} detail={d} decide={decide} />)}</ul>
        </section>
      ) : null}
    </div>
  );
}
