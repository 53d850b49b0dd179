import { handle } from "@/lib/http/handler";
import { listOwnReplyDrafts, ownReplyDraftListSchema, ownReplyDraftsQuery } from "@/lib/approvals/own-reply-drafts";
import { jsonResponse } from "@/lib/openapi/operations";

// The reply drafts agents wrote for the caller's own mail, waiting to be sent (or by status).
export const GET = handle({
  auth: "session",
  allow: "mail.own",
  openapi: {
    operationId: "listOwnReplyDrafts",
    summary: "Reply drafts for your own mail",
    description:
      "The reply_draft approvals of the mailboxes you connected, newest first, with the reply the agent wrote and the " +
      "message it answers. Nobody else's mailbox, whatever your role.",
    tags: ["triage", "approvals"],
    query: ownReplyDraftsQuery,
    responses: { "200": jsonResponse("Your reply drafts", ownReplyDraftListSchema), "400": "BadRequest" },
  },
}, async ({ query, user }) => ({ drafts: await listOwnReplyDrafts(user, query(ownReplyDraftsQuery)) }));
