import { handle } from "@/lib/http/handler";
import { undoAction } from "@/lib/triage/undo";
import { gmailFailed, unavailable, undoneActionSchema } from "@/lib/triage/api-schemas";
import { errorResponse, jsonResponse, pathParameter } from "@/lib/openapi/operations";

// Reverses one action in Gmail (what it added is removed, what it removed is added back); the
// message goes back to the review queue. 409 when it was already undone or is itself an undo.
export const POST = handle<{ id: string }>({
  auth: "session",
  allow: "mail.own",
  openapi: {
    operationId: "undoTriageAction",
    summary: "Undo one action",
    description:
      "Removes what the action added and adds back what it removed (labels changed by hand since are left alone). The undo is " +
      "logged as an action of its own and the message goes back to the review queue.",
    tags: ["triage"],
    parameters: [pathParameter("id", "The action's id (tact_…)", { type: "string" })],
    responses: {
      "200": jsonResponse("Undone", undoneActionSchema),
      "404": "NotFound",
      "409": errorResponse("Already undone, itself an undo, or the mailbox is disconnected"),
      "502": gmailFailed,
      "503": unavailable,
    },
  },
}, async ({ params, user }) => {
  const { undoActionId, labels } = await undoAction(params.id, { actor: `user:${user.id}`, scope: user });
  return { undone: { actionId: params.id, undoActionId, labels } };
});
