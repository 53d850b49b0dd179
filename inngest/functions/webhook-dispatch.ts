import { getInngest } from "@/inngest/client";
import { webhookEventReceived } from "@/inngest/events";
import { fromInngestStep, type Steps } from "@/inngest/step";
import { dispatchWebhookEvent } from "@/lib/events/dispatch-event";

// Runs the pipelines subscribed to a persisted webhook event. Idempotent per event and
// subscription, so retries and re-dispatches run each subscription once.
export async function webhookDispatch({ event, step }: { event: { data: { eventId: string } }; step: Steps }) {
  return step.run("dispatch-event", () => dispatchWebhookEvent(event.data.eventId));
}

export const webhookDispatchFunction = getInngest().createFunction(
  { id: "webhook-dispatch", name: "Webhooks: dispatch an event", triggers: [webhookEventReceived], retries: 3 },
  ({ event, step }) => webhookDispatch({ event, step: fromInngestStep(step) }),
);
