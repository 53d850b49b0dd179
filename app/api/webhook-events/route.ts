import { handle } from "@/lib/http/handler";
import { listEventsQuery, listWebhookEvents } from "@/lib/events/list-events";

export const GET = handle({ auth: "session", allow: "activity.view" }, async ({ query }) => listWebhookEvents(query(listEventsQuery)));
