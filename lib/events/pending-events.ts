import { autocommit } from "@/lib/db/transaction";
import { findUnfinishedEvents } from "@/lib/events/events.repository";

// Events that were persisted but never finished: still "received" (the process stopped between
// the insert and the hand-off) or "dispatched" (it stopped while the pipelines ran). The
// in-process driver re-dispatches them at start and every minute; dispatching is idempotent, so
// one that is merely slow is not run twice. Failed events are not picked up: they wait for a retry.

/** Long enough that an event just received is being handled by its own request. */
export const REDISPATCH_AFTER_MS = 60_000;
const BATCH = 100;

/** `olderThanMs`: how long an unfinished event must have waited (by the database's clock). */
export async function findEventsToRedispatch(olderThanMs = REDISPATCH_AFTER_MS): Promise<{ eventId: string }[]> {
  const rows = await findUnfinishedEvents(autocommit(), olderThanMs, BATCH);
  return rows.map((r) => ({ eventId: r.id }));
}
