import type { ActorType, RunStatus, RunTrigger } from "@/generated/prisma/client";
import { Prisma } from "@/generated/prisma/client";
import type { Tx } from "@/lib/db/transaction";

// Data access for pipeline runs. Every function takes the transaction it runs in.

export const runSelect = {
  id: true,
  pipeline: true,
  status: true,
  trigger: true,
  input: true,
  output: true,
  error: true,
  actorType: true,
  actorId: true,
  actorLabel: true,
  tokenId: true,
  requestId: true,
  idempotencyKey: true,
  parentRunId: true,
  conversationId: true,
  timeoutMs: true,
  queuedAt: true,
  startedAt: true,
  finishedAt: true,
  durationMs: true,
} satisfies Prisma.PipelineRunSelect;

export type RunRow = Prisma.PipelineRunGetPayload<{ select: typeof runSelect }>;

export type JsonInput = Prisma.InputJsonValue | typeof Prisma.JsonNull;

export type NewRun = {
  id: string;
  pipeline: string;
  status: RunStatus;
  trigger: RunTrigger;
  input: JsonInput;
  actorType: ActorType;
  actorId: string | null;
  actorLabel: string | null;
  tokenId: string | null;
  requestId: string | null;
  idempotencyKey: string | null;
  idempotencyScope: string | null;
  parentRunId: string | null;
  conversationId?: string | null;
  instanceId: string | null;
  timeoutMs: number;
  /** Set with startedAt from the same clock, so a run never starts before it was queued. */
  queuedAt?: Date;
  startedAt: Date | null;
};

export function insertRun(tx: Tx, run: NewRun): Promise<RunRow> {
  return tx.pipelineRun.create({ data: run, select: runSelect });
}

export function findRun(tx: Tx, id: string): Promise<RunRow | null> {
  return tx.pipelineRun.findUnique({ where: { id }, select: runSelect });
}

export function findRunStatuses(tx: Tx, ids: string[]): Promise<{ id: string; status: RunStatus }[]> {
  if (ids.length === 0) return Promise.resolve([]);
  return tx.pipelineRun.findMany({ where: { id: { in: ids } }, select: { id: true, status: true } });
}

export function findRunByIdempotencyKey(tx: Tx, pipeline: string, scope: string, key: string): Promise<RunRow | null> {
  return tx.pipelineRun.findUnique({
    where: { pipeline_idempotencyScope_idempotencyKey: { pipeline, idempotencyScope: scope, idempotencyKey: key } },
    select: runSelect,
  });
}

export function markRunning(tx: Tx, id: string, instanceId: string, startedAt: Date) {
  return tx.pipelineRun.updateMany({
    where: { id, status: "queued" },
    data: { status: "running", instanceId, startedAt },
  });
}

export type RunOutcome =
  | { status: "succeeded"; output: JsonInput }
  | { status: "failed" | "cancelled"; error: Prisma.InputJsonValue };

/** Closes a run that is still open; returns false when something else closed it first. */
export async function finishRun(tx: Tx, id: string, outcome: RunOutcome, finishedAt: Date, durationMs: number): Promise<boolean> {
  const result = await tx.pipelineRun.updateMany({
    where: { id, status: { in: ["queued", "running"] } },
    data: { ...outcome, finishedAt, durationMs },
  });
  return result.count === 1;
}

export type RunFilters = {
  pipeline?: string;
  status?: RunStatus[];
  trigger?: RunTrigger[];
  actorType?: ActorType;
  actorId?: string;
  parentRunId?: string;
  from?: Date;
  to?: Date;
};

function whereFor(filters: RunFilters): Prisma.PipelineRunWhereInput {
  return {
    pipeline: filters.pipeline,
    status: filters.status?.length ? { in: filters.status } : undefined,
    trigger: filters.trigger?.length ? { in: filters.trigger } : undefined,
    actorType: filters.actorType,
    actorId: filters.actorId,
    parentRunId: filters.parentRunId,
    queuedAt: filters.from || filters.to ? { gte: filters.from, lt: filters.to } : undefined,
  };
}

/** Newest first. Ids are time-ordered ULIDs, so the id itself is the cursor. */
export function listRuns(tx: Tx, filters: RunFilters, limit: number, before?: string): Promise<RunRow[]> {
  const where = whereFor(filters);
  return tx.pipelineRun.findMany({
    where: before ? { AND: [where, { id: { lt: before } }] } : where,
    orderBy: { id: "desc" },
    take: limit,
    select: runSelect,
  });
}

export function listChildRuns(tx: Tx, parentRunId: string): Promise<RunRow[]> {
  return tx.pipelineRun.findMany({ where: { parentRunId }, orderBy: { id: "asc" }, select: runSelect, take: 200 });
}

export function countRunsByStatus(tx: Tx, since: Date) {
  return tx.pipelineRun.groupBy({ by: ["status"], where: { queuedAt: { gte: since } }, _count: { _all: true } });
}

export type DailyRunCount = { day: string; status: RunStatus; count: number };

/** Runs per UTC day and status since `since`. */
export async function countRunsPerDay(tx: Tx, since: Date): Promise<DailyRunCount[]> {
  const rows = await tx.$queryRaw<{ day: Date; status: RunStatus; count: bigint }[]>`
    SELECT date_trunc('day', queued_at AT TIME ZONE 'UTC') AS day, status, count(*) AS count
    FROM pipeline_runs WHERE queued_at >= ${since}
    GROUP BY 1, 2 ORDER BY 1`;
  return rows.map((r) => ({ day: r.day.toISOString().slice(0, 10), status: r.status, count: Number(r.count) }));
}

/** Runs left open by processes that stopped heartbeating (or never registered). */
export async function failRunsOfDeadInstances(tx: Tx, staleBefore: Date, error: Prisma.InputJsonValue, now: Date): Promise<string[]> {
  const rows = await tx.$queryRaw<{ id: string }[]>`
    UPDATE pipeline_runs r
       SET status = 'failed', error = ${error}::jsonb, finished_at = ${now},
           duration_ms = CASE WHEN r.started_at IS NULL THEN NULL
                              ELSE (EXTRACT(EPOCH FROM (${now}::timestamp - r.started_at)) * 1000)::int END
     WHERE r.status = 'running'
       AND NOT EXISTS (SELECT 1 FROM app_instances i WHERE i.id = r.instance_id AND i.heartbeat_at >= ${staleBefore})
    RETURNING r.id`;
  return rows.map((r) => r.id);
}
