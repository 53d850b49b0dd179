import { handle } from "@/lib/http/handler";
import { approve } from "@/lib/approvals/decide-approval";
import { toRunDto } from "@/lib/pipelines/run-dto";
import { decisionSchema } from "@/lib/approvals/api-schemas";
import { jsonResponse, pathParameter } from "@/lib/openapi/operations";

// Approves once (a second approve is a 409) and runs what the approval holds through the runner.
export const POST = handle<{ id: string }>({
  auth: "session",
  allow: "work.run",
  openapi: {
    operationId: "approveApproval",
    summary: "Approve: run what it holds, once",
    description:
      "A reply draft is sent from Gmail (email.send-draft, exactly that draft, once); an agent's call runs through the runner " +
      "as that agent (idempotency key approval:<id>). A second decision is a 409.",
    tags: ["approvals"],
    parameters: [pathParameter("id", "The approval's id (apr_…)", { type: "string" })],
    responses: { "200": jsonResponse("Approved, with the run it started", decisionSchema), "404": "NotFound", "409": "Conflict" },
  },
}, async ({ params, user }) => {
  const { approval, run } = await approve(params.id, { userId: user.id, label: user.email, trigger: "dashboard", viewer: user });
  return { approval, run: run ? toRunDto(run) : null };
});
