import { handle } from "@/lib/http/handler";
import { approvalDetailSchema, getApprovalDetail } from "@/lib/approvals/read-approvals";
import { jsonResponse, pathParameter } from "@/lib/openapi/operations";

export const GET = handle<{ id: string }>({
  auth: "session",
  allow: "activity.view",
  openapi: {
    operationId: "getApproval",
    summary: "One approval with its job, the reply the agent wrote, the message it answers and its run",
    tags: ["approvals"],
    parameters: [pathParameter("id", "The approval's id (apr_…)", { type: "string" })],
    responses: { "200": jsonResponse("The approval", approvalDetailSchema), "404": "NotFound" },
  },
}, async ({ params, user }) => getApprovalDetail(user, params.id));
