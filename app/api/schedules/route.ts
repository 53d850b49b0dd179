import { NextResponse } from "next/server";
import { z } from "zod";
import { handle } from "@/lib/http/handler";
import { listSchedules } from "@/lib/schedules/read-schedules";
import { createSchedule } from "@/lib/schedules/save-schedule";

export const GET = handle({ auth: "session", allow: "activity.view" }, async () => ({ schedules: await listSchedules() }));

// The body is checked by the service, which reports every field's problem at once.
export const POST = handle({ auth: "session", allow: "settings.manage" }, async ({ body, user }) => {
  const schedule = await createSchedule(await body(z.unknown()), user.id);
  return NextResponse.json({ schedule }, { status: 201, headers: { location: `/api/schedules/${schedule.id}` } });
});
