import { handle } from "@/lib/http/handler";
import { decisionSchema } from "@/lib/approvals/api-schemas";
import { retryOwnReplyDraft } from "@/lib/approvals/own-reply-drafts";
import { toRunDto } from "@/lib/pipelines/run-dto";
import { jsonResponse, pathParameter } from "@/lib/openapi/operations";

// Sends an approved reply draft of one's own mailbox again after its send failed.
export const POST = handle<{ id: string }>({
  auth: "session",
  allow: "mail.own",
  openapi: {
    operationId: "retryOwnReplyDraft",
    summary: "Retry sending a reply draft of your own mailbox",
    description: "Runs email.send-draft again after the approved send failed or was cancelled (once, however often it is called). Someone else's draft is a 404.",
    tags: ["triage", "approvals"],
    parameters: [pathParameter("id", "The reply draft's approval id (apr_…)", { type: "string" })],
    responses: { "200": jsonResponse("The new send run", decisionSchema), "404": "NotFound", "409": "Conflict" },
  },
}, async ({ params, user }) => {
  const { approval, run } = await retryOwnReplyDraft(user, params.id);
  return { approval, run: run ? toRunDto(run) : null };
});
