import { handle } from "@/lib/http/handler";
import { decisionSchema } from "@/lib/approvals/api-schemas";
import { denyBody } from "@/lib/approvals/decide-approval";
import { discardOwnReplyDraft } from "@/lib/approvals/own-reply-drafts";
import { toRunDto } from "@/lib/pipelines/run-dto";
import { jsonBody, jsonResponse, pathParameter } from "@/lib/openapi/operations";

// Deletes a reply draft of one's own mailbox from Gmail, with a reason; nothing is sent.
export const POST = handle<{ id: string }>({
  auth: "session",
  allow: "mail.own",
  openapi: {
    operationId: "discardOwnReplyDraft",
    summary: "Delete a reply draft of your own mailbox",
    description: "Denies the reply_draft approval with a reason and deletes the draft from Gmail (email.discard-draft). A second decision is a 409; someone else's draft is a 404.",
    tags: ["triage", "approvals"],
    parameters: [pathParameter("id", "The reply draft's approval id (apr_…)", { type: "string" })],
    requestBody: jsonBody(denyBody),
    responses: { "200": jsonResponse("Denied, with the discard run", decisionSchema), "400": "BadRequest", "404": "NotFound", "409": "Conflict" },
  },
}, async ({ params, body, user }) => {
  const { approval, run } = await discardOwnReplyDraft(user, params.id, await body(denyBody));
  return { approval, run: run ? toRunDto(run) : null };
});
