import { NextResponse } from "next/server";
import { z } from "zod";
import { handle } from "@/lib/http/handler";
import { listSchedules } from "@/lib/schedules/read-schedules";
import { createSchedule } from "@/lib/schedules/save-schedule";
import { createScheduleBody } from "@/lib/schedules/schedule-input";
import { errorResponse, jsonBody, jsonResponse } from "@/lib/openapi/operations";
import { scheduleListSchema, scheduleResponseSchema } from "@/lib/schedules/api-schemas";

export const GET = handle({
  auth: "session",
  allow: "activity.view",
  openapi: {
    operationId: "listSchedules",
    summary: "List schedules with their open slots",
    tags: ["schedules"],
    responses: { "200": jsonResponse("Every schedule", scheduleListSchema) },
  },
}, async () => ({ schedules: await listSchedules() }));

// The body is checked by the service, which reports every field's problem at once.
export const POST = handle({
  auth: "session",
  allow: "settings.manage",
  openapi: {
    operationId: "createSchedule",
    summary: "Create a schedule",
    description: "The input is checked against the pipeline's own input schema; every problem is reported at once, by field.",
    tags: ["schedules"],
    requestBody: jsonBody(createScheduleBody),
    responses: {
      "201": jsonResponse("The schedule", scheduleResponseSchema, {
        location: { description: "The schedule, /api/schedules/sch_…", schema: { type: "string" } },
      }),
      "400": "BadRequest",
      "409": errorResponse("A schedule with this name exists"),
    },
  },
}, async ({ body, user }) => {
  const schedule = await createSchedule(await body(z.unknown()), user.id);
  return NextResponse.json({ schedule }, { status: 201, headers: { location: `/api/schedules/${schedule.id}` } });
});
