import { handle } from "@/lib/http/handler";
import { retryApprovedRun } from "@/lib/approvals/decide-approval";
import { toRunDto } from "@/lib/pipelines/run-dto";
import { decisionSchema } from "@/lib/approvals/api-schemas";
import { jsonResponse, pathParameter } from "@/lib/openapi/operations";

// Runs an approved call again after its run failed (a 409 unless it failed or was cancelled).
export const POST = handle<{ id: string }>({
  auth: "session",
  allow: "work.run",
  openapi: {
    operationId: "retryApprovedRun",
    summary: "Run an approved call again after its run failed",
    description:
      "Only for an approved approval whose run failed or was cancelled (e.g. the mailbox was disconnected when the reply was to be " +
      "sent). The new run replaces the failed one as the approval's runId; two requests start one run. Otherwise a 409.",
    tags: ["approvals"],
    parameters: [pathParameter("id", "The approval's id (apr_…)", { type: "string" })],
    responses: { "200": jsonResponse("The approval, with the new run", decisionSchema), "404": "NotFound", "409": "Conflict" },
  },
}, async ({ params, user }) => {
  const { approval, run } = await retryApprovedRun(params.id, { userId: user.id, label: user.email, trigger: "dashboard", viewer: user });
  return { approval, run: run ? toRunDto(run) : null };
});
