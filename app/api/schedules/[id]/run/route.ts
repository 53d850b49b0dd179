import { NextResponse } from "next/server";
import { dispatchBackground } from "@/inngest/dispatch";
import { handle } from "@/lib/http/handler";
import { runScheduleNow } from "@/lib/schedules/run-schedule-now";

// "Run now": the manual slot is persisted, then handed to the background driver (Inngest or
// in-process). 202: follow it at GET /api/schedules/[id]/slots.
export const POST = handle<{ id: string }>({ auth: "session", allow: "work.run" }, async ({ params, user }) => {
  const slot = await runScheduleNow(params.id, user.email, (slotId) => dispatchBackground([{ name: "schedule/slot.due", data: { slotId } }]));
  return NextResponse.json({ slot }, { status: 202 });
});
