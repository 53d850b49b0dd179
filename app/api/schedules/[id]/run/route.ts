import { NextResponse } from "next/server";
import { dispatchBackground } from "@/inngest/dispatch";
import { handle } from "@/lib/http/handler";
import { runScheduleNow } from "@/lib/schedules/run-schedule-now";
import { jsonResponse } from "@/lib/openapi/operations";
import { scheduleId, slotResponseSchema } from "@/lib/schedules/api-schemas";

// "Run now": the manual slot is persisted, then handed to the background driver (Inngest or
// in-process). 202: follow it at GET /api/schedules/[id]/slots.
export const POST = handle<{ id: string }>({
  auth: "session",
  allow: "work.run",
  openapi: {
    operationId: "runScheduleNow",
    summary: "Run a schedule now",
    description: "A manual slot is recorded and run in the background; follow it at GET /api/schedules/{id}/slots.",
    tags: ["schedules"],
    parameters: [scheduleId],
    responses: { "202": jsonResponse("The manual slot", slotResponseSchema), "404": "NotFound" },
  },
}, async ({ params, user }) => {
  const slot = await runScheduleNow(params.id, user.email, (slotId) => dispatchBackground([{ name: "schedule/slot.due", data: { slotId } }]));
  return NextResponse.json({ slot }, { status: 202 });
});
