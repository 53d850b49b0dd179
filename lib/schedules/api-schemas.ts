import { z } from "zod";
import { pathParameter } from "@/lib/openapi/operations";
import type { Exactly, Expect, Returned } from "@/lib/openapi/types";
import type { previewSchedule } from "@/lib/schedules/preview-schedule";
import { type getScheduleDetail, type listScheduleSlots, type listSchedules } from "@/lib/schedules/read-schedules";
import type { deleteSchedule } from "@/lib/schedules/save-schedule";
import { fireTimeSchema, scheduleDtoSchema, slotDtoSchema } from "@/lib/schedules/schedule-dto";

// The response shapes (zod) and shared declaration parts that these routes' handle() declarations
// use for the OpenAPI document.
//
// Schedules: pipelines run on a cron, with their history of slots. The routes read bodies as
// `unknown` and the service parses them with the schemas below, reporting every field at once.

export const scheduleListItemSchema = z.intersection(
  scheduleDtoSchema,
  z.object({ openSlots: z.object({ pending: z.number().int(), running: z.number().int() }) }),
);
export const scheduleListSchema = z.object({ schedules: z.array(scheduleListItemSchema) });
export const scheduleResponseSchema = z.object({ schedule: scheduleDtoSchema });
export const slotPageSchema = z.object({
  slots: z.array(slotDtoSchema).describe("Newest first"),
  nextCursor: z.string().nullable().describe("Pass as `cursor` for the next page; null on the last page"),
});
export const scheduleDetailSchema = z.object({
  schedule: scheduleDtoSchema,
  upcoming: z.array(fireTimeSchema),
  history: slotPageSchema,
});
export const scheduleDeletedSchema = z.object({ deleted: z.object({ id: z.string(), name: z.string() }) });
export const slotResponseSchema = z.object({ slot: slotDtoSchema });
export const previewSchema = z.object({
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

// Parts of the routes' OpenAPI declarations that several routes share.

export const scheduleId = pathParameter("id", "The schedule's id (sch_…) or its name", { type: "string" });
