import { handle } from "@/lib/http/handler";
import { deleteWebhookSubscription, updateSubscriptionInput, updateWebhookSubscription } from "@/lib/events/manage-subscriptions";

type Params = { name: string; id: string };

/** Change the event type, pipeline, input template or enabled flag. */
export const PATCH = handle<Params>({ auth: "session", allow: "settings.manage" }, async ({ params, body }) => ({
  subscription: await updateWebhookSubscription(params.id, await body(updateSubscriptionInput), params.name),
}));

export const DELETE = handle<Params>({ auth: "session", allow: "settings.manage" }, async ({ params }) => deleteWebhookSubscription(params.id, params.name));
