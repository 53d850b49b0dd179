import { handle } from "@/lib/http/handler";
import { listScheduleSlots, listSlotsQuery } from "@/lib/schedules/read-schedules";

// The schedule's history, newest first: every slot with its kind, status, reason and run.
export const GET = handle<{ id: string }>({ auth: "session", allow: "activity.view" }, async ({ params, query }) => listScheduleSlots(params.id, query(listSlotsQuery)));
