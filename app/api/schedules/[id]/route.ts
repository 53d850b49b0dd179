import { z } from "zod";
import { handle } from "@/lib/http/handler";
import { getScheduleDetail } from "@/lib/schedules/read-schedules";
import { deleteSchedule, updateSchedule } from "@/lib/schedules/save-schedule";

// [id] is the schedule's id (sch_…) or its name.

export const GET = handle<{ id: string }>({ auth: "session", allow: "activity.view" }, async ({ params }) => getScheduleDetail(params.id));

export const PATCH = handle<{ id: string }>({ auth: "session", allow: "settings.manage" }, async ({ params, body }) => ({
  schedule: await updateSchedule(params.id, await body(z.unknown())),
}));

export const DELETE = handle<{ id: string }>({ auth: "session", allow: "settings.manage" }, async ({ params }) => ({ deleted: await deleteSchedule(params.id) }));
