import { handle } from "@/lib/http/handler";
import { countPendingApprovals } from "@/lib/approvals/read-approvals";
import { countSchema } from "@/lib/approvals/api-schemas";
import { jsonResponse } from "@/lib/openapi/operations";

// The navigation's badge.
export const GET = handle({
  auth: "session",
  allow: "activity.view",
  openapi: {
    operationId: "countPendingApprovals",
    summary: "How many approvals are pending (the navigation's badge)",
    tags: ["approvals"],
    responses: { "200": jsonResponse("The count", countSchema) },
  },
}, async ({ user }) => ({ pending: await countPendingApprovals(user) }));
