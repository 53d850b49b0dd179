import { handle } from "@/lib/http/handler";
import { getApprovalDetail } from "@/lib/approvals/read-approvals";

export const GET = handle<{ id: string }>({ auth: "session" }, async ({ params }) => getApprovalDetail(params.id));
