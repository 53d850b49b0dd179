import { withTransaction } from "@/lib/db/transaction";
import { newId } from "@/lib/ids";
import { getLogger } from "@/lib/logger";
import * as jobs from "@/lib/jobs/jobs.repository";
import { recordLeaseExpiries } from "@/lib/observability/observe";

// Returns jobs whose holder went quiet to the queue (or marks them dead after the last attempt).
// Called from the claim path (at most every few seconds per process) and from the background tick.

export type ExpiryResult = { requeued: number; dead: number };

/** Leases are compared with the database's clock, never this server's. */
export async function expireLeases(): Promise<ExpiryResult> {
  const expired = await withTransaction(async (tx) => {
    const rows = await jobs.expireClaims(tx);
    await jobs.insertEvents(
      tx,
      rows.map((row) => ({
        id: newId("jev"),
        jobId: row.id,
        type: row.status === "dead" ? "dead" : "expired",
        agentId: row.agentId,
        tokenId: row.tokenId,
        attempt: row.attempts,
        detail: { reason: "lease expired", requeued: row.status === "queued" },
      })),
    );
    return rows;
  });
  recordLeaseExpiries(expired);
  const dead = expired.filter((row) => row.status === "dead").length;
  if (expired.length > 0) {
    getLogger({ component: "jobs" }).info({ requeued: expired.length - dead, dead }, "expired job leases");
  }
  return { requeued: expired.length - dead, dead };
}

const SWEEP_EVERY_MS = 2_000;
let lastSweep = 0;
let sweeping: Promise<unknown> | null = null;

/** The claim path's sweep: at most once every two seconds in this process, and never two at once. */
export async function expireLeasesIfDue(): Promise<void> {
  // This server's clock only paces the sweep; what expired is the database's to say.
  const now = Date.now();
  if (sweeping || Math.abs(now - lastSweep) < SWEEP_EVERY_MS) return;
  lastSweep = now;
  sweeping = expireLeases().finally(() => (sweeping = null));
  await sweeping;
}
