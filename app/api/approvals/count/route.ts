import { handle } from "@/lib/http/handler";
import { countPendingApprovals } from "@/lib/approvals/read-approvals";

// The navigation's badge.
export const GET = handle({ auth: "session", allow: "activity.view" }, async () => ({ pending: await countPendingApprovals() }));
