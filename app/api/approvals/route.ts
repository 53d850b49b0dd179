import { handle } from "@/lib/http/handler";
import { approvalListSchema, listApprovals, listApprovalsQuery } from "@/lib/approvals/read-approvals";
import { jsonResponse } from "@/lib/openapi/operations";

// Everything waiting on the owner (and what was decided): agents' pipeline calls, reply drafts, flagged results.
export const GET = handle({
  auth: "session",
  allow: "activity.view",
  openapi: {
    operationId: "listApprovals",
    summary: "Everything waiting on the owner, and what was decided",
    description:
      "Reply drafts waiting to be sent, agents' calls to pipelines their policy says to ask about, and results an agent " +
      "flagged for a human. Newest first; `pending` counts every pending approval.",
    tags: ["approvals"],
    query: listApprovalsQuery,
    responses: { "200": jsonResponse("A page of approvals", approvalListSchema), "400": "BadRequest" },
  },
}, async ({ query, user }) => listApprovals(user, query(listApprovalsQuery)));
