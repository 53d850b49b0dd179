import { handle } from "@/lib/http/handler";
import { getWebhookEvent } from "@/lib/events/list-events";

export const GET = handle<{ id: string }>({ auth: "session", allow: "activity.view" }, async ({ params }) => ({ event: await getWebhookEvent(params.id) }));
