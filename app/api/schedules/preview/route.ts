import { z } from "zod";
import { handle } from "@/lib/http/handler";
import { previewSchedule } from "@/lib/schedules/preview-schedule";
import { jsonBody, jsonResponse } from "@/lib/openapi/operations";
import { previewBody } from "@/lib/schedules/schedule-input";
import { previewSchema } from "@/lib/schedules/api-schemas";

// The form's live preview: { cron, timezone, count? } → the next fire times, UTC and local.
export const POST = handle({
  auth: "session",
  allow: "settings.manage",
  openapi: {
    operationId: "previewSchedule",
    summary: "The next fire times of a draft cron in a timezone",
    tags: ["schedules"],
    requestBody: jsonBody(previewBody),
    responses: { "200": jsonResponse("The fire times", previewSchema), "400": "BadRequest" },
  },
}, async ({ body }) => previewSchedule(await body(z.unknown())));
