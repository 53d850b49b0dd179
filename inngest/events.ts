import { eventType } from "inngest";
import { z } from "zod";

// The background events, typed and validated. Each carries only an id: the record it points to
// was persisted before the event was sent, so nothing is lost if delivery fails.

export const scheduleSlotDue = eventType("schedule/slot.due", {
  schema: z.object({ slotId: z.string().min(1) }),
});

export const webhookEventReceived = eventType("webhook/event.received", {
  schema: z.object({ eventId: z.string().min(1) }),
});

export const gmailNotificationReceived = eventType("gmail/notification.received", {
  schema: z.object({ notificationId: z.string().min(1) }),
});

export const triageSyncRequested = eventType("triage/sync.requested", {
  schema: z.object({ runId: z.string().min(1) }),
});

export type BackgroundEvent =
  | { name: "schedule/slot.due"; data: { slotId: string } }
  | { name: "webhook/event.received"; data: { eventId: string } }
  | { name: "gmail/notification.received"; data: { notificationId: string } }
  | { name: "triage/sync.requested"; data: { runId: string } };
