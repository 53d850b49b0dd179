import { handle } from "@/lib/http/handler";
import { deleteWebhookSource, getWebhookSource, updateSourceInput, updateWebhookSource } from "@/lib/events/manage-sources";

export const GET = handle<{ name: string }>({ auth: "session", allow: "activity.view" }, async ({ params }) => ({ source: await getWebhookSource(params.name) }));

/** Enable or disable, change the description or the tolerance window. */
export const PATCH = handle<{ name: string }>({ auth: "session", allow: "settings.manage" }, async ({ params, body }) => ({
  source: await updateWebhookSource(params.name, await body(updateSourceInput)),
}));

export const DELETE = handle<{ name: string }>({ auth: "session", allow: "settings.manage" }, async ({ params }) => deleteWebhookSource(params.name));
