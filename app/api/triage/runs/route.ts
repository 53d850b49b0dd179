import { NextResponse } from "next/server";
import { handle } from "@/lib/http/handler";
import { listRunsPage, listRunsQuery, startSyncBody } from "@/lib/triage/api";
import { requestSync } from "@/lib/triage/request-sync";

export const GET = handle({ auth: "session", allow: "activity.view" }, async ({ query }) => listRunsPage(query(listRunsQuery)));

// "Sync now" and "Backfill": the run is persisted, then handed to the background; 202, follow it at
// GET /api/triage/runs/{id}. A run of the same kind already queued or running is returned instead.
export const POST = handle({ auth: "session", allow: "work.run" }, async ({ body, user }) => {
  const input = await body(startSyncBody);
  const run = await requestSync({ ...input, trigger: "manual", requestedBy: user.id });
  return NextResponse.json({ run }, { status: 202, headers: { location: `/api/triage/runs/${run.id}` } });
});
