import { handle } from "@/lib/http/handler";
import { undoAction } from "@/lib/triage/undo";

// Reverses one action in Gmail (what it added is removed, what it removed is added back); the
// message goes back to the review queue. 409 when it was already undone or is itself an undo.
export const POST = handle<{ id: string }>({ auth: "session", allow: "work.run" }, async ({ params, user }) => {
  const { undoActionId, labels } = await undoAction(params.id, { actor: `user:${user.id}` });
  return { undone: { actionId: params.id, undoActionId, labels } };
});
