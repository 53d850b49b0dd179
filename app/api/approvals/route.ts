import { handle } from "@/lib/http/handler";
import { listApprovals, listApprovalsQuery } from "@/lib/approvals/read-approvals";

// Everything waiting on the owner (and what was decided): agents' pipeline calls, reply drafts, flagged results.
export const GET = handle({ auth: "session", allow: "activity.view" }, async ({ query }) => listApprovals(query(listApprovalsQuery)));
