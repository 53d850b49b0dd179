import { handle } from "@/lib/http/handler";
import { deleteWebhookSource, getWebhookSource, updateSourceInput, updateWebhookSource } from "@/lib/events/manage-sources";

export const GET = handle<{ name: string }>({ auth: "session" }, async ({ params }) => ({ source: await getWebhookSource(params.name) }));

/** Enable or disable, change the description or the tolerance window. */
export const PATCH = handle<{ name: string }>({ auth: "session" }, async ({ params, body }) => ({
  source: await updateWebhookSource(params.name, await body(updateSourceInput)),
}));

export const DELETE = handle<{ name: string }>({ auth: "session" }, async ({ params }) => deleteWebhookSource(params.name));
