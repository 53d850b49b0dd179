import { handle } from "@/lib/http/handler";
import { listMessagesPage } from "@/lib/triage/api";
import { messageFiltersSchema } from "@/lib/triage/read-triage";
import { jsonResponse } from "@/lib/openapi/operations";
import { messagePageSchema } from "@/lib/triage/api-schemas";

// Triaged mail, newest first: by category (the owner's after review, else triage's), by status
// (`review` is the review queue), by mailbox or by sync run.
export const GET = handle({
  auth: "session",
  allow: "mail.own",
  openapi: {
    operationId: "listTriagedMessages",
    summary: "Triaged mail, newest first",
    description: "Filter by category (the owner's after review, else triage's), by status (`review` is the review queue), by mailbox or by sync run.",
    tags: ["triage"],
    query: messageFiltersSchema,
    responses: { "200": jsonResponse("A page of messages", messagePageSchema), "400": "BadRequest" },
  },
}, async ({ query, user }) => listMessagesPage(user, query(messageFiltersSchema)));
