import { handle } from "@/lib/http/handler";
import { deny, denyBody } from "@/lib/approvals/decide-approval";
import { toRunDto } from "@/lib/pipelines/run-dto";
import { decisionSchema } from "@/lib/approvals/api-schemas";
import { jsonBody, jsonResponse, pathParameter } from "@/lib/openapi/operations";

// Denies with a reason; nothing runs (a reply draft is deleted from Gmail, the undo of drafting it).
export const POST = handle<{ id: string }>({
  auth: "session",
  allow: "work.run",
  openapi: {
    operationId: "denyApproval",
    summary: "Deny with a reason: nothing runs",
    description: "The agent sees the reason when it polls. A denied reply draft is deleted from Gmail (email.discard-draft). A second decision is a 409.",
    tags: ["approvals"],
    parameters: [pathParameter("id", "The approval's id (apr_…)", { type: "string" })],
    requestBody: jsonBody(denyBody),
    responses: { "200": jsonResponse("Denied", decisionSchema), "400": "BadRequest", "404": "NotFound", "409": "Conflict" },
  },
}, async ({ params, body, user }) => {
  const { approval, run } = await deny(params.id, await body(denyBody), { userId: user.id, label: user.email, trigger: "dashboard", viewer: user });
  return { approval, run: run ? toRunDto(run) : null };
});
