import { handle } from "@/lib/http/handler";
import { getSyncRun } from "@/lib/triage/sync-runs";
import { undoSyncRun } from "@/lib/triage/undo";

// Undoes every automatic action of a finished sync run that is still in effect; 409 while it runs.
export const POST = handle<{ id: string }>({ auth: "session", allow: "work.run" }, async ({ params, user }) => {
  const { undone } = await undoSyncRun(params.id, { actor: `user:${user.id}` });
  return { undone, run: await getSyncRun(params.id) };
});
