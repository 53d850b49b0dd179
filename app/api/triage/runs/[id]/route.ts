import { handle } from "@/lib/http/handler";
import { getSyncRun } from "@/lib/triage/sync-runs";
import { jsonResponse, pathParameter } from "@/lib/openapi/operations";
import { runResponseSchema } from "@/lib/triage/api-schemas";

// One sync run with its counters (total, processed, auto-applied, queued for review): the dashboard
// polls it for the progress bar.
export const GET = handle<{ id: string }>({
  auth: "session",
  allow: "mail.own",
  openapi: {
    operationId: "getTriageSyncRun",
    summary: "One sync run with its progress counters",
    tags: ["triage"],
    parameters: [pathParameter("id", "The sync run's id (tsr_…)", { type: "string" })],
    responses: { "200": jsonResponse("The run", runResponseSchema), "404": "NotFound" },
  },
}, async ({ params, user }) => ({ run: await getSyncRun(user, params.id) }));
