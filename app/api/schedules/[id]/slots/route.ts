import { handle } from "@/lib/http/handler";
import { listScheduleSlots, listSlotsQuery } from "@/lib/schedules/read-schedules";
import { jsonResponse } from "@/lib/openapi/operations";
import { scheduleId, slotPageSchema } from "@/lib/schedules/api-schemas";

// The schedule's history, newest first: every slot with its kind, status, reason and run.
export const GET = handle<{ id: string }>({
  auth: "session",
  allow: "activity.view",
  openapi: {
    operationId: "listScheduleSlots",
    summary: "A schedule's slots, newest first, with skipped ones and their reasons",
    tags: ["schedules"],
    parameters: [scheduleId],
    query: listSlotsQuery,
    responses: { "200": jsonResponse("A page of slots", slotPageSchema), "400": "BadRequest", "404": "NotFound" },
  },
}, async ({ params, query }) => listScheduleSlots(params.id, query(listSlotsQuery)));
