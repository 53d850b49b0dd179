import { handle } from "@/lib/http/handler";
import { getApprovalDetail } from "@/lib/approvals/read-approvals";

export const GET = handle<{ id: string }>({ auth: "session", allow: "activity.view" }, async ({ params }) => getApprovalDetail(params.id));
