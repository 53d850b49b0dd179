import { handle } from "@/lib/http/handler";
import { getMessageDetail } from "@/lib/triage/api";
import { reviewInputSchema, reviewMessage } from "@/lib/triage/review";
import { gmailFailed, messageId, reviewResponseSchema, unavailable } from "@/lib/triage/api-schemas";
import { errorResponse, jsonBody, jsonResponse } from "@/lib/openapi/operations";

// The owner's decision on a message: confirm or correct the category, optionally as a sender rule;
// the category's actions are applied in Gmail as the owner's.
export const POST = handle<{ id: string }>({
  auth: "session",
  allow: "mail.own",
  openapi: {
    operationId: "reviewTriagedMessage",
    summary: "Confirm or correct a message's category",
    description:
      "A correction is recorded as feedback and, with `createRule`, becomes a sender rule for the address or the whole domain, " +
      "so the next message from that sender is decided by it. The chosen category's actions are applied in Gmail as the owner's " +
      "(whatever the threshold), after undoing any earlier action still in effect on the message.",
    tags: ["triage"],
    parameters: [messageId],
    requestBody: jsonBody(reviewInputSchema),
    responses: {
      "200": jsonResponse("The decision and the message as it is now", reviewResponseSchema),
      "400": "BadRequest",
      "404": "NotFound",
      "409": errorResponse("The mailbox is disconnected"),
      "502": gmailFailed,
      "503": unavailable,
    },
  },
}, async ({ params, body, user }) => {
  const input = await body(reviewInputSchema);
  const review = await reviewMessage(params.id, input, { actor: `user:${user.id}`, userId: user.id, scope: user });
  const { message } = await getMessageDetail(user, params.id);
  return { review, message };
});
