import { handle } from "@/lib/http/handler";
import { decisionSchema } from "@/lib/approvals/api-schemas";
import { sendOwnReplyDraft } from "@/lib/approvals/own-reply-drafts";
import { toRunDto } from "@/lib/pipelines/run-dto";
import { jsonResponse, pathParameter } from "@/lib/openapi/operations";

// Sends a reply draft of one's own mailbox, once (the approval's decision, as on the Approvals page).
export const POST = handle<{ id: string }>({
  auth: "session",
  allow: "mail.own",
  openapi: {
    operationId: "sendOwnReplyDraft",
    summary: "Send a reply draft of your own mailbox",
    description: "Approves the reply_draft approval: email.send-draft sends exactly that Gmail draft, once. A second decision is a 409; someone else's draft is a 404.",
    tags: ["triage", "approvals"],
    parameters: [pathParameter("id", "The reply draft's approval id (apr_…)", { type: "string" })],
    responses: { "200": jsonResponse("Approved, with the send run", decisionSchema), "404": "NotFound", "409": "Conflict" },
  },
}, async ({ params, user }) => {
  const { approval, run } = await sendOwnReplyDraft(user, params.id);
  return { approval, run: run ? toRunDto(run) : null };
});
