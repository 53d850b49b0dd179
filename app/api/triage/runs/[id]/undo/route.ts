import { handle } from "@/lib/http/handler";
import { getSyncRun } from "@/lib/triage/sync-runs";
import { undoSyncRun } from "@/lib/triage/undo";
import { gmailFailed, unavailable, undoneRunSchema } from "@/lib/triage/api-schemas";
import { errorResponse, jsonResponse, pathParameter } from "@/lib/openapi/operations";

// Undoes every automatic action of a finished sync run that is still in effect; 409 while it runs.
export const POST = handle<{ id: string }>({
  auth: "session",
  allow: "mail.own",
  openapi: {
    operationId: "undoTriageSyncRun",
    summary: "Undo every automatic action of a sync run",
    description: "Actions already undone one by one are left as they are; the messages go back to the review queue.",
    tags: ["triage"],
    parameters: [pathParameter("id", "The sync run's id (tsr_…)", { type: "string" })],
    responses: {
      "200": jsonResponse("Undone", undoneRunSchema),
      "404": "NotFound",
      "409": errorResponse("The run has not finished yet, or the mailbox is disconnected"),
      "502": gmailFailed,
      "503": unavailable,
    },
  },
}, async ({ params, user }) => {
  const { undone } = await undoSyncRun(params.id, { actor: `user:${user.id}`, scope: user });
  return { undone, run: await getSyncRun(user, params.id) };
});
