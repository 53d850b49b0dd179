import { NextResponse } from "next/server";
import { handle } from "@/lib/http/handler";
import { retryWebhookEvent } from "@/lib/events/retry-event";

/** 202: the event is dispatched again in the background; poll GET /api/webhook-events/<id>. */
export const POST = handle<{ id: string }>({ auth: "session", allow: "work.run" }, async ({ params }) =>
  NextResponse.json({ event: await retryWebhookEvent(params.id) }, { status: 202 }),
);
