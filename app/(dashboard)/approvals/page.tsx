import type { Metadata } from "next";
import { ApprovalsBoard } from "@/components/approvals/approvals-board";
import { PageHeader } from "@/components/ui/card";
import { listApprovalDetails } from "@/lib/approvals/read-approvals";
import { requirePagePermission } from "@/lib/auth/page-session";

export const metadata: Metadata = { title: "Approvals" };
export const dynamic = "force-dynamic";

export default async function ApprovalsPage() {
  const user = await requirePagePermission("activity.view");
  const [pendingDetails, decidedDetails] = await Promise.all([
    listApprovalDetails(user, { status: ["pending"], limit: 50 }),
    listApprovalDetails(user, { status: ["approved", "denied", "withdrawn"], limit: 20 }),
  ]);
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
