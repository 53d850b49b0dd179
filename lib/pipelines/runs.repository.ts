import type { ActorType, RunStatus, RunTrigger } from "@/generated/prisma/client";
import { Prisma } from "@/generated/prisma/client";
import type { Tx } from "@/lib/db/transaction";
import type { SqlTx } from "@/lib/db/sql-transaction";
import { isAutocommit } from "@/lib/db/client";
import { queryRows } from "@/lib/db/query-rows";

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
  workKey: true,
  attempt: true,
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
  /** Its attempt number is counted from the runs with the same key. */
  workKey?: string | null;
  parentRunId: string | null;
  conversationId?: string | null;
  instanceId: string | null;
  timeoutMs: number;
  /** Set with startedAt from the same clock, so a run never starts before it was queued. */
  queuedAt?: Date;
  startedAt: Date | null;
};

const json = (value: JsonInput) => (value === Prisma.JsonNull ? "null" : JSON.stringify(value));
const utc = (date: Date | null) => Prisma.sql`(${date?.toISOString() ?? null}::timestamptz AT TIME ZONE 'UTC')`;

/**
 * Every run starts and ends here, so both are one prepared statement on the pool (see queryRows),
 * not Prisma: its query compilation cost more than the statements themselves.
 *
 * On its own (autocommit), the start is committed without waiting for the disk: the run's next
 * commit (its effects, or its end, which waits) flushes the log up to there, this row included, so
 * nothing durable ever follows a start that was lost; a database crash in between loses a run
 * that never finished. One disk flush less on every run.
 */
export async function insertRun(tx: SqlTx, run: NewRun): Promise<RunRow> {
  const noWait = isAutocommit(tx) ? Prisma.sql`, (SELECT set_config('synchronous_commit', 'off', true)) AS no_wait` : Prisma.empty;
  const input = json(run.input);
  // Only what the database decides comes back; the rest of the row is what went in (fewer
  // columns to describe and parse: this is on every run's path).
  const [row] = await queryRows<{ attempt: number; queuedAt: Date }>(tx, Prisma.sql`
    INSERT INTO pipeline_runs (id, pipeline, status, trigger, input, actor_type, actor_id, actor_label, token_id, request_id,
                               idempotency_key, idempotency_scope, parent_run_id, conversation_id, instance_id, timeout_ms,
                               queued_at, started_at, work_key, attempt)
    SELECT v.* FROM (VALUES (
      ${run.id}, ${run.pipeline}, ${run.status}::"RunStatus", ${run.trigger}::"RunTrigger", ${input}::jsonb,
      ${run.actorType}::"ActorType", ${run.actorId}, ${run.actorLabel}, ${run.tokenId}, ${run.requestId},
      ${run.idempotencyKey}, ${run.idempotencyScope}, ${run.parentRunId}, ${run.conversationId ?? null}, ${run.instanceId},
      ${run.timeoutMs}::int, COALESCE(${utc(run.queuedAt ?? null)}, now() AT TIME ZONE 'UTC'), ${utc(run.startedAt)},
      ${run.workKey ?? null}::text,
      CASE WHEN ${run.workKey ?? null}::text IS NULL THEN 1
           ELSE (SELECT count(*) + 1 FROM pipeline_runs p WHERE p.work_key = ${run.workKey ?? null}::text)::int END
    )) AS v ${noWait}
    RETURNING attempt, queued_at AS "queuedAt"`);
  return {
    id: run.id,
    pipeline: run.pipeline,
    status: run.status,
    trigger: run.trigger,
    input: JSON.parse(input) as Prisma.JsonValue,
    output: null,
    error: null,
    actorType: run.actorType,
    actorId: run.actorId,
    actorLabel: run.actorLabel,
    tokenId: run.tokenId,
    requestId: run.requestId,
    idempotencyKey: run.idempotencyKey,
    parentRunId: run.parentRunId,
    conversationId: run.conversationId ?? null,
    workKey: run.workKey ?? null,
    attempt: row!.attempt,
    timeoutMs: run.timeoutMs,
    queuedAt: row!.queuedAt,
    // As stored: timestamp(3) keeps milliseconds, as a Date does.
    startedAt: run.startedAt,
    finishedAt: null,
    durationMs: null,
  };
}

/**
 * Takes the idempotency key off a run recovery closed as interrupted (error code `interruptedCode`)
 * with fewer than `maxAttempts` attempts, so the next attempt, inserted in the same transaction,
 * can have it. The UPDATE locks the row: a second retry of the same key waits for the first to
 * commit, then finds the key gone (false) and the first one's run holding it.
 */
export async function releaseInterruptedRunKey(tx: SqlTx, id: string, interruptedCode: string, maxAttempts: number): Promise<boolean> {
  const rows = await queryRows<{ id: string }>(tx, Prisma.sql`
    UPDATE pipeline_runs
       SET idempotency_key = NULL, idempotency_scope = NULL
     WHERE id = ${id} AND idempotency_key IS NOT NULL
       AND status = 'failed' AND error ->> 'code' = ${interruptedCode}::text AND attempt < ${maxAttempts}::int
    RETURNING id`);
  return rows.length === 1;
}

/** runSelect's columns, as Prisma gives them (enums as their names, JSON parsed, timestamps as Dates). */
const RUN_COLUMNS = Prisma.raw(`
  id, pipeline, status::text AS status, trigger::text AS trigger, input, output, error, actor_type::text AS "actorType",
  actor_id AS "actorId", actor_label AS "actorLabel", token_id AS "tokenId", request_id AS "requestId",
  idempotency_key AS "idempotencyKey", parent_run_id AS "parentRunId", conversation_id AS "conversationId",
  work_key AS "workKey", attempt, timeout_ms AS "timeoutMs", queued_at AS "queuedAt", started_at AS "startedAt",
  finished_at AS "finishedAt", duration_ms AS "durationMs"`);

export async function findRun(tx: SqlTx, id: string): Promise<RunRow | null> {
  const rows = await queryRows<RunRow>(tx, Prisma.sql`SELECT ${RUN_COLUMNS} FROM pipeline_runs WHERE id = ${id}`);
  return rows[0] ?? null;
}

export function findRunStatuses(tx: Tx, ids: string[]): Promise<{ id: string; status: RunStatus }[]> {
  if (ids.length === 0) return Promise.resolve([]);
  return tx.pipelineRun.findMany({ where: { id: { in: ids } }, select: { id: true, status: true } });
}

/** The run holding the key (looked up on every keyed start, a job's result handler's included: raw, not Prisma). */
export async function findRunByIdempotencyKey(tx: SqlTx, pipeline: string, scope: string, key: string): Promise<RunRow | null> {
  const rows = await queryRows<RunRow>(tx, Prisma.sql`
    SELECT ${RUN_COLUMNS} FROM pipeline_runs WHERE pipeline = ${pipeline} AND idempotency_scope = ${scope} AND idempotency_key = ${key}`);
  return rows[0] ?? null;
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
export async function finishRun(tx: SqlTx, id: string, outcome: RunOutcome, finishedAt: Date, durationMs: number): Promise<boolean> {
  const succeeded = outcome.status === "succeeded";
  const rows = await queryRows<{ id: string }>(tx, Prisma.sql`
    UPDATE pipeline_runs
       SET status = ${outcome.status}::"RunStatus",
           output = CASE WHEN ${succeeded}::boolean THEN ${succeeded ? json(outcome.output) : null}::jsonb ELSE output END,
           error = CASE WHEN ${succeeded}::boolean THEN error ELSE ${succeeded ? null : JSON.stringify(outcome.error)}::jsonb END,
           finished_at = ${utc(finishedAt)}, duration_ms = ${durationMs}::int
     WHERE id = ${id} AND status IN ('queued', 'running')
    RETURNING id`);
  return rows.length === 1;
}

export type RunFinish = { id: string; outcome: RunOutcome; finishedAt: Date; durationMs: number };

/** finishRun for many runs in one statement; returns the ids it closed (the others were closed elsewhere first). */
export async function finishRuns(tx: Tx, finishes: RunFinish[]): Promise<Set<string>> {
  if (finishes.length === 0) return new Set();
  const payload = JSON.stringify(
    finishes.map((f) => ({
      id: f.id,
      status: f.outcome.status,
      output: f.outcome.status === "succeeded" ? JSON.parse(json(f.outcome.output)) : null,
      error: f.outcome.status === "succeeded" ? null : f.outcome.error,
      finished_at: f.finishedAt.toISOString(),
      duration_ms: f.durationMs,
    })),
  );
  const rows = await queryRows<{ id: string }>(tx, Prisma.sql`
    UPDATE pipeline_runs p
       SET status = r.status::"RunStatus",
           output = CASE WHEN r.status = 'succeeded' THEN COALESCE(r.output, 'null'::jsonb) ELSE p.output END,
           error = CASE WHEN r.status = 'succeeded' THEN p.error ELSE r.error END,
           finished_at = (r.finished_at::timestamptz AT TIME ZONE 'UTC'), duration_ms = r.duration_ms
      FROM jsonb_to_recordset(${payload}::jsonb) AS r(id text, status text, output jsonb, error jsonb, finished_at text, duration_ms int)
     WHERE p.id = r.id AND p.status IN ('queued', 'running')
    RETURNING p.id`);
  return new Set(rows.map((r) => r.id));
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

/** Every run of one piece of work (its attempts), first first. */
export function listAttempts(tx: Tx, workKey: string): Promise<RunRow[]> {
  return tx.pipelineRun.findMany({ where: { workKey }, orderBy: { id: "asc" }, select: runSelect, take: 50 });
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

/**
 * Runs left open by processes that stopped heartbeating (or never registered): silent for
 * `staleAfterMs` by the database's clock, the one that stamps the heartbeats.
 */
export async function failRunsOfDeadInstances(tx: Tx, staleAfterMs: number, error: Prisma.InputJsonValue): Promise<string[]> {
  const now = Prisma.sql`(now() AT TIME ZONE 'UTC')`;
  const rows = await tx.$queryRaw<{ id: string }[]>`
    UPDATE pipeline_runs r
       SET status = 'failed', error = ${error}::jsonb, finished_at = ${now},
           duration_ms = CASE WHEN r.started_at IS NULL THEN NULL
                              ELSE GREATEST(EXTRACT(EPOCH FROM (${now} - r.started_at)) * 1000, 0)::int END
     WHERE r.status = 'running'
       AND NOT EXISTS (SELECT 1 FROM app_instances i
                        WHERE i.id = r.instance_id AND i.heartbeat_at >= ${now} - ${staleAfterMs}::int * interval '1 millisecond')
    RETURNING r.id`;
  return rows.map((r) => r.id);
}
