import { RetryAfterError } from "inngest";
import type { BackgroundEvent } from "@/inngest/events";
import { RetryLater } from "@/lib/background/retry-later";

// The part of Inngest's step API our handlers use. Inngest provides it when a server runs the
// functions; the in-process driver provides a direct one, so both run the very same handlers.
export type Steps = {
  run<T>(id: string, fn: () => Promise<T>): Promise<unknown>;
  sendEvent(id: string, events: BackgroundEvent[]): Promise<unknown>;
};

type InngestStep = {
  run(id: string, fn: () => Promise<unknown>): Promise<unknown>;
  sendEvent(id: string, events: BackgroundEvent[]): Promise<unknown>;
};

/**
 * Adapts Inngest's step tools to Steps. A RetryLater thrown inside a step becomes Inngest's
 * RetryAfterError there, so Inngest waits the asked-for time instead of its default backoff.
 */
export function fromInngestStep(step: unknown): Steps {
  const inngestStep = step as InngestStep;
  return {
    run: (id, fn) =>
      inngestStep.run(id, async () => {
        try {
          return await fn();
        } catch (error) {
          if (error instanceof RetryLater) throw new RetryAfterError(error.message, error.retryAfterMs);
          throw error;
        }
      }),
    sendEvent: (id, events) => inngestStep.sendEvent(id, events),
  };
}
