import { z } from "zod";
import { handle } from "@/lib/http/handler";
import { previewSchedule } from "@/lib/schedules/preview-schedule";

// The form's live preview: { cron, timezone, count? } → the next fire times, UTC and local.
export const POST = handle({ auth: "session", allow: "settings.manage" }, async ({ body }) => previewSchedule(await body(z.unknown())));
