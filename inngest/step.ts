import type { BackgroundEvent } from "@/inngest/events";

// The part of Inngest's step API our handlers use. Inngest provides it when a server runs the
// functions; the in-process driver provides a direct one, so both run the very same handlers.
export type Steps = {
  run<T>(id: string, fn: () => Promise<T>): Promise<unknown>;
  sendEvent(id: string, events: BackgroundEvent[]): Promise<unknown>;
};
