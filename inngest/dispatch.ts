import { getInngest } from "@/inngest/client";
import type { BackgroundEvent } from "@/inngest/events";
import { enqueue, startInProcessDriver } from "@/inngest/in-process-driver";
import { getConfig } from "@/lib/config";
import { getLogger } from "@/lib/logger";

// One call for "do this in the background": through Inngest when a server is configured,
// otherwise through the in-process driver. Callers persist the work first, then dispatch.

export async function dispatchBackground(events: BackgroundEvent[]): Promise<void> {
  if (events.length === 0) return;
  if (getConfig().inngestMode === "in-process") {
    enqueue(events);
    return;
  }
  try {
    await getInngest().send(events);
  } catch (error) {
    // The work is persisted; Inngest's tick (or a restart's re-dispatch) will pick it up.
    getLogger({ component: "dispatch" }).error({ err: error, count: events.length }, "could not send events to Inngest");
  }
}

/** At server start: the in-process driver runs only when no Inngest server is configured. */
export async function startBackgroundDriver(): Promise<void> {
  const mode = getConfig().inngestMode;
  const log = getLogger({ component: "dispatch" });
  if (mode === "in-process") {
    await startInProcessDriver();
    log.info("schedules and webhooks run in-process (no Inngest server configured)");
  } else {
    log.info({ mode }, "schedules and webhooks run through Inngest at /api/inngest");
  }
}
