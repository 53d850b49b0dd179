import type { Metadata } from "next";
import { ApprovalsBoard } from "@/components/approvals/approvals-board";
import { PageHeader } from "@/components/ui/card";
import { getApprovalDetail, listApprovals } from "@/lib/approvals/read-approvals";
import { requirePagePermission } from "@/lib/auth/page-session";

export const metadata: Metadata = { title: "Approvals" };
export const dynamic = "force-dynamic";

export default async function ApprovalsPage() {
  const user = await requirePagePermission("activity.view");
  const [pending, decided] = await Promise.all([
    listApprovals(user, { status: ["pending"], limit: 50 }),
    listApprovals(user, { status: ["approved", "denied", "withdrawn"], limit: 20 }),
  ]);
  const details = async (list: typeof pending) => Promise.all(list.approvals.map((a) => getApprovalDetail(user, a.id)));
  const [pendingDetails, decidedDetails] = await Promise.all([details(pending), details(decided)]);
  return (
    <>
      <PageHeader
        title="Approvals"
        description="Everything waiting on you: reply drafts to send, agents' requests to act on the outside world, results an agent flagged. Approving runs it once, on the record."
      />
      <ApprovalsBoard pending={pendingDetails} decided={decidedDetails} />
    </>
  );
}
