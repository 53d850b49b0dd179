"use server";

import { z } from "zod";
import { authorizeAction } from "@/lib/auth/action-user";
import { isAppError } from "@/lib/errors";
import { retryWebhookEvent } from "@/lib/events/retry-event";
import { getLogger } from "@/lib/logger";
import { resolveRequestId, runWithRequestContext } from "@/lib/request-context";

import type { RetryResult } from "@/components/events/event-detail";

const eventId = z.string().regex(/^evt_[0-9a-z]{26}$/);

/** Dispatches a failed (or stuck) event again, from its page or its row on the Events page. */
export async function retryEventAction(id: string): Promise<RetryResult> {
  const auth = await authorizeAction("work.run");
  if (!auth.ok) return { status: "error", message: auth.message };
  const user = auth.user;
  const parsed = eventId.safeParse(id);
  if (!parsed.success) return { status: "error", message: "That is not an event id." };
  const requestId = resolveRequestId(null);
  return runWithRequestContext({ requestId, userId: user.id }, async (): Promise<RetryResult> => {
    try {
      return { status: "ok", event: await retryWebhookEvent(parsed.data) };
    } catch (error) {
      if (isAppError(error)) return { status: "error", message: error.message };
      getLogger({ component: "dashboard" }).error({ err: error, eventId: id }, "retrying an event failed");
      return { status: "error", message: `The event could not be retried. The request id ${requestId} identifies it in the logs.` };
    }
  });
}
