import { z } from "zod";
import { handle } from "@/lib/http/handler";
import { getScheduleDetail } from "@/lib/schedules/read-schedules";
import { deleteSchedule, updateSchedule } from "@/lib/schedules/save-schedule";
import { jsonBody, jsonResponse } from "@/lib/openapi/operations";
import { scheduleDeletedSchema, scheduleDetailSchema, scheduleId, scheduleResponseSchema } from "@/lib/schedules/api-schemas";
import { updateScheduleBody } from "@/lib/schedules/schedule-input";

// [id] is the schedule's id (sch_…) or its name.

export const GET = handle<{ id: string }>({
  auth: "session",
  allow: "activity.view",
  openapi: {
    operationId: "getSchedule",
    summary: "Get a schedule with its upcoming fire times and recent history",
    tags: ["schedules"],
    parameters: [scheduleId],
    responses: { "200": jsonResponse("The schedule", scheduleDetailSchema), "404": "NotFound" },
  },
}, async ({ params }) => getScheduleDetail(params.id));

export const PATCH = handle<{ id: string }>({
  auth: "session",
  allow: "settings.manage",
  openapi: {
    operationId: "updateSchedule",
    summary: "Change some of a schedule's fields",
    description: "The result is checked as a whole (new input against a new pipeline, say).",
    tags: ["schedules"],
    parameters: [scheduleId],
    requestBody: jsonBody(updateScheduleBody),
    responses: { "200": jsonResponse("The schedule", scheduleResponseSchema), "400": "BadRequest", "404": "NotFound", "409": "Conflict" },
  },
}, async ({ params, body }) => ({
  schedule: await updateSchedule(params.id, await body(z.unknown())),
}));

export const DELETE = handle<{ id: string }>({
  auth: "session",
  allow: "settings.manage",
  openapi: {
    operationId: "deleteSchedule",
    summary: "Delete a schedule and its slot history (its runs stay)",
    tags: ["schedules"],
    parameters: [scheduleId],
    responses: { "200": jsonResponse("Deleted", scheduleDeletedSchema), "404": "NotFound" },
  },
}, async ({ params }) => ({ deleted: await deleteSchedule(params.id) }));
