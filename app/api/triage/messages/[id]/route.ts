import { handle } from "@/lib/http/handler";
import { getMessageDetail } from "@/lib/triage/api";
import { jsonResponse } from "@/lib/openapi/operations";
import { messageDetailSchema, messageId } from "@/lib/triage/api-schemas";

// One triaged message: the decision with its confidence and reasons, and every action taken on it.
export const GET = handle<{ id: string }>({
  auth: "session",
  allow: "mail.own",
  openapi: {
    operationId: "getTriagedMessage",
    summary: "One triaged message, with the reasons for its category and every action taken on it",
    tags: ["triage"],
    parameters: [messageId],
    responses: { "200": jsonResponse("The message", messageDetailSchema), "404": "NotFound" },
  },
}, async ({ params, user }) => getMessageDetail(user, params.id));
