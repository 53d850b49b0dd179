import { dispatchBackground } from "@/inngest/dispatch";
import { autocommit, withTransaction } from "@/lib/db/transaction";
import { AppError } from "@/lib/errors";
import { DispatchFailedError, dispatchWebhookEvent } from "@/lib/events/dispatch-event";
import type { EventDetailDto } from "@/lib/events/dto";
import * as events from "@/lib/events/events.repository";
import { getWebhookEvent } from "@/lib/events/list-events";
import { getLogger } from "@/lib/logger";

// A manual retry: a failed or dead event (or one stuck before finishing) is dispatched again.
// Every failed dispatch goes back to pending, the final ones too (the subscription may have been
// fixed since); succeeded dispatches are never run again. Should it fail again, its automatic
// retries start over. Processed events are done (409) and invalid
// ones were never dispatchable (409: send a valid delivery instead).

export async function retryWebhookEvent(id: string, options: { inline?: boolean } = {}): Promise<EventDetailDto> {
  const event = await events.findEventForDispatch(autocommit(), id);
  if (!event) throw new AppError("not_found", `There is no webhook event ${id}`);
  if (event.status === "processed") throw new AppError("conflict", `The event ${id} was processed; there is nothing to retry`);
  if (event.status === "invalid") {
    throw new AppError("conflict", `The event ${id} has an invalid payload and is never dispatched; have the sender deliver a valid one`);
  }
  const reset = await withTransaction(async (tx) => {
    const count = await events.resetFailedDispatches(tx, id);
    await events.reopenEvent(tx, id, new Date());
    return count;
  });
  getLogger({ component: "webhooks", eventId: id }).info({ resetDispatches: reset, inline: Boolean(options.inline) }, "webhook event retried");

  if (options.inline) {
    // The CLI waits for the outcome in its own process; a failure is recorded on the event.
    try {
      await dispatchWebhookEvent(id);
    } catch (error) {
      if (!(error instanceof DispatchFailedError)) throw error;
    }
  } else {
    await dispatchBackground([{ name: "webhook/event.received", data: { eventId: id } }]);
  }
  return getWebhookEvent(id);
}
