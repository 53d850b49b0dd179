import { handle } from "@/lib/http/handler";
import { getSyncRun } from "@/lib/triage/sync-runs";

// One sync run with its counters (total, processed, auto-applied, queued for review): the dashboard
// polls it for the progress bar.
export const GET = handle<{ id: string }>({ auth: "session", allow: "activity.view" }, async ({ params }) => ({ run: await getSyncRun(params.id) }));
