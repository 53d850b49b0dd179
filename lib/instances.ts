import { randomUUID } from "node:crypto";
import os from "node:os";
import { Prisma } from "@/generated/prisma/client";
import { getDb } from "@/lib/db/client";
import { getLogger } from "@/lib/logger";

// This process's identity among the app instances sharing the database. It heartbeats so that
// the others can tell when it has died and close the runs it left open.

export const HEARTBEAT_INTERVAL_MS = 15_000;
/** An instance silent for this long is considered dead. */
export const INSTANCE_STALE_MS = 60_000;

const globalForInstance = globalThis as unknown as { __paInstanceId?: string; __paHeartbeat?: NodeJS.Timeout };

export function currentInstanceId(): string {
  globalForInstance.__paInstanceId ??= `ins_${randomUUID().replaceAll("-", "").slice(0, 20)}`;
  return globalForInstance.__paInstanceId;
}

// Heartbeats are stamped and judged by the database's clock (see failRunsOfDeadInstances): the
// instances' own clocks may disagree, and one running behind must not make itself look dead.
const DB_NOW = Prisma.sql`(now() AT TIME ZONE 'UTC')`;

export async function registerInstance(): Promise<void> {
  await getDb().$executeRaw`
    INSERT INTO app_instances (id, hostname, pid, started_at, heartbeat_at)
    VALUES (${currentInstanceId()}, ${os.hostname()}, ${process.pid}::int, ${DB_NOW}, ${DB_NOW})
    ON CONFLICT (id) DO UPDATE SET heartbeat_at = ${DB_NOW}`;
}

export async function heartbeat(): Promise<void> {
  const db = getDb();
  await db.$executeRaw`UPDATE app_instances SET heartbeat_at = ${DB_NOW} WHERE id = ${currentInstanceId()}`;
  // Forget instances that have been gone for a day.
  await db.$executeRaw`DELETE FROM app_instances WHERE heartbeat_at < ${DB_NOW} - interval '1 day'`;
}

/** Registers and keeps heartbeating until the process exits; `onBeat` runs after each beat. */
export async function startInstanceHeartbeat(onBeat?: () => Promise<void>): Promise<void> {
  await registerInstance();
  if (globalForInstance.__paHeartbeat) return;
  const log = getLogger({ component: "instance" });
  globalForInstance.__paHeartbeat = setInterval(() => {
    heartbeat()
      .then(() => onBeat?.())
      .catch((err) => log.warn({ err }, "heartbeat failed"));
  }, HEARTBEAT_INTERVAL_MS);
  globalForInstance.__paHeartbeat.unref();
}

export function stopInstanceHeartbeat(): void {
  clearInterval(globalForInstance.__paHeartbeat);
  globalForInstance.__paHeartbeat = undefined;
}

function processIsAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/**
 * Earlier instances on this host whose process is gone (or which had our pid: a restarted
 * container) are forgotten at once, so their open runs are recovered at this start rather than
 * after the heartbeat grace period.
 */
export async function forgetDeadLocalInstances(): Promise<number> {
  const db = getDb();
  const current = currentInstanceId();
  const local = await db.appInstance.findMany({ where: { hostname: os.hostname(), id: { not: current } } });
  const dead = local.filter((i) => i.pid === process.pid || !processIsAlive(i.pid)).map((i) => i.id);
  if (dead.length > 0) await db.appInstance.deleteMany({ where: { id: { in: dead } } });
  return dead.length;
}
