import { NextResponse } from "next/server";
import { handle } from "@/lib/http/handler";
import { listRunsPage, listRunsQuery, startSyncBody } from "@/lib/triage/api";
import { requestSync } from "@/lib/triage/request-sync";
import { errorResponse, jsonBody, jsonResponse } from "@/lib/openapi/operations";
import { runPageSchema, runResponseSchema } from "@/lib/triage/api-schemas";

export const GET = handle({
  auth: "session",
  allow: "mail.own",
  openapi: {
    operationId: "listTriageSyncRuns",
    summary: "Sync runs, newest first",
    tags: ["triage"],
    query: listRunsQuery,
    responses: { "200": jsonResponse("A page of runs", runPageSchema), "400": "BadRequest" },
  },
}, async ({ query, user }) => listRunsPage(user, query(listRunsQuery)));

// "Sync now" and "Backfill": the run is persisted, then handed to the background; 202, follow it at
// GET /api/triage/runs/{id}. A run of the same kind already queued or running is returned instead.
export const POST = handle({
  auth: "session",
  allow: "mail.own",
  openapi: {
    operationId: "startTriageSync",
    summary: "Sync a mailbox now, or backfill its recent mail",
    description:
      "The run is recorded and handed to the background; follow its progress at GET /api/triage/runs/{id}. When a run of " +
      "the same kind is already queued or running for the mailbox, that run is returned instead of a second one.",
    tags: ["triage"],
    requestBody: jsonBody(startSyncBody),
    responses: {
      "202": jsonResponse("The run, queued (or the one already under way)", runResponseSchema, {
        location: { description: "The run, /api/triage/runs/tsr_…", schema: { type: "string" } },
      }),
      "400": "BadRequest",
      "404": "NotFound",
      "409": errorResponse("The mailbox is disconnected; connect it again first"),
    },
  },
}, async ({ body, user }) => {
  const input = await body(startSyncBody);
  const run = await requestSync(user, { ...input, trigger: "manual", requestedBy: user.id });
  return NextResponse.json({ run }, { status: 202, headers: { location: `/api/triage/runs/${run.id}` } });
});
