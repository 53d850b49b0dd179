import { z } from "zod";
import type { SchemaComponents } from "@/lib/openapi/json-schema";
import { jsonBody, jsonResponse, operation, pathParameter, queryParameters, ref } from "@/lib/openapi/operations";
import type { Exactly, Expect, PathItem, Returned } from "@/lib/openapi/types";
import type { previewSchedule } from "@/lib/schedules/preview-schedule";
import { listSlotsQuery, type getScheduleDetail, type listScheduleSlots, type listSchedules } from "@/lib/schedules/read-schedules";
import type { deleteSchedule } from "@/lib/schedules/save-schedule";
import { fireTimeSchema, scheduleDtoSchema, slotDtoSchema } from "@/lib/schedules/schedule-dto";
import { createScheduleBody, previewBody, updateScheduleBody } from "@/lib/schedules/schedule-input";

// Schedules: pipelines run on a cron, with their history of slots. The routes read bodies as
// `unknown` and the service parses them with the schemas below, reporting every field at once.

const scheduleListItemSchema = z.intersection(
  scheduleDtoSchema,
  z.object({ openSlots: z.object({ pending: z.number().int(), running: z.number().int() }) }),
);
const scheduleListSchema = z.object({ schedules: z.array(scheduleListItemSchema) });
const scheduleResponseSchema = z.object({ schedule: scheduleDtoSchema });
const slotPageSchema = z.object({
  slots: z.array(slotDtoSchema).describe("Newest first"),
  nextCursor: z.string().nullable().describe("Pass as `cursor` for the next page; null on the last page"),
});
const scheduleDetailSchema = z.object({
  schedule: scheduleDtoSchema,
  upcoming: z.array(fireTimeSchema),
  history: slotPageSchema,
});
const scheduleDeletedSchema = z.object({ deleted: z.object({ id: z.string(), name: z.string() }) });
const slotResponseSchema = z.object({ slot: slotDtoSchema });
const previewSchema = z.object({
  cron: z.string(),
  timezone: z.string(),
  description: z.string().nullable().describe("The cron in words, for common patterns"),
  fireTimes: z.array(fireTimeSchema),
});

export type _ScheduleShapeChecks = [
  Expect<Exactly<z.infer<typeof scheduleListSchema>["schedules"], Returned<typeof listSchedules>>>,
  Expect<Exactly<z.infer<typeof scheduleDetailSchema>, Returned<typeof getScheduleDetail>>>,
  Expect<Exactly<z.infer<typeof slotPageSchema>, Returned<typeof listScheduleSlots>>>,
  Expect<Exactly<z.infer<typeof scheduleDeletedSchema>["deleted"], Returned<typeof deleteSchedule>>>,
  Expect<Exactly<z.infer<typeof previewSchema>, ReturnType<typeof previewSchedule>>>,
];

export function buildSchedulePaths(schemas: SchemaComponents): Record<string, PathItem> {
  const scheduleId = pathParameter("id", "The schedule's id (sch_…) or its name", { type: "string" });
  const schedule = schemas.convert(scheduleResponseSchema, "output");
  const notFound = ref("responses", "NotFound");
  const badRequest = ref("responses", "BadRequest");
  const conflict = ref("responses", "Conflict");

  return {
    "/api/schedules": {
      get: operation("session", {
        operationId: "listSchedules",
        summary: "List schedules with their open slots",
        tags: ["schedules"],
        responses: { "200": jsonResponse("Every schedule", schemas.convert(scheduleListSchema, "output")) },
      }),
      post: operation("session", {
        operationId: "createSchedule",
        summary: "Create a schedule",
        description: "The input is checked against the pipeline's own input schema; every problem is reported at once, by field.",
        tags: ["schedules"],
        requestBody: jsonBody(schemas.convert(createScheduleBody, "input")),
        responses: {
          "201": jsonResponse("The schedule", schedule, {
            location: { description: "The schedule, /api/schedules/sch_…", schema: { type: "string" } },
          }),
          "400": badRequest,
          "409": jsonResponse("A schedule with this name exists", ref("schemas", "Error")),
        },
      }),
    },
    "/api/schedules/preview": {
      post: operation("session", {
        operationId: "previewSchedule",
        summary: "The next fire times of a draft cron in a timezone",
        tags: ["schedules"],
        requestBody: jsonBody(schemas.convert(previewBody, "input")),
        responses: { "200": jsonResponse("The fire times", schemas.convert(previewSchema, "output")), "400": badRequest },
      }),
    },
    "/api/schedules/{id}": {
      get: operation("session", {
        operationId: "getSchedule",
        summary: "Get a schedule with its upcoming fire times and recent history",
        tags: ["schedules"],
        parameters: [scheduleId],
        responses: { "200": jsonResponse("The schedule", schemas.convert(scheduleDetailSchema, "output")), "404": notFound },
      }),
      patch: operation("session", {
        operationId: "updateSchedule",
        summary: "Change some of a schedule's fields",
        description: "The result is checked as a whole (new input against a new pipeline, say).",
        tags: ["schedules"],
        parameters: [scheduleId],
        requestBody: jsonBody(schemas.convert(updateScheduleBody, "input")),
        responses: { "200": jsonResponse("The schedule", schedule), "400": badRequest, "404": notFound, "409": conflict },
      }),
      delete: operation("session", {
        operationId: "deleteSchedule",
        summary: "Delete a schedule and its slot history (its runs stay)",
        tags: ["schedules"],
        parameters: [scheduleId],
        responses: { "200": jsonResponse("Deleted", schemas.convert(scheduleDeletedSchema, "output")), "404": notFound },
      }),
    },
    "/api/schedules/{id}/run": {
      post: operation("session", {
        operationId: "runScheduleNow",
        summary: "Run a schedule now",
        description: "A manual slot is recorded and run in the background; follow it at GET /api/schedules/{id}/slots.",
        tags: ["schedules"],
        parameters: [scheduleId],
        responses: { "202": jsonResponse("The manual slot", schemas.convert(slotResponseSchema, "output")), "404": notFound },
      }),
    },
    "/api/schedules/{id}/slots": {
      get: operation("session", {
        operationId: "listScheduleSlots",
        summary: "A schedule's slots, newest first, with skipped ones and their reasons",
        tags: ["schedules"],
        parameters: [scheduleId, ...queryParameters(schemas, listSlotsQuery)],
        responses: { "200": jsonResponse("A page of slots", schemas.convert(slotPageSchema, "output")), "400": badRequest, "404": notFound },
      }),
    },
  };
}
