import { Prisma, type JobStatus } from "@/generated/prisma/client";
import type { Tx } from "@/lib/db/transaction";
import type { SqlTx } from "@/lib/db/sql-transaction";
import { queryRows } from "@/lib/db/query-rows";

// Data access for agent jobs. Every function takes the transaction it runs in. The hot path
// (claim, heartbeat, complete, fail) is one statement each: the state change and its event row
// are written together by a data-modifying CTE, so a job never changes without its trail. Those
// four go through queryRows: in autocommit, a named prepared statement on the pool, not Prisma.

/** The current time in UTC, as the timestamp(3) columns store it (whatever the session's zone). */
const NOW = Prisma.sql`(now() AT TIME ZONE 'UTC')`;

export type JobRow = {
  id: string;
  kind: string;
  status: JobStatus;
  priority: number;
  input: unknown;
  result: unknown;
  error: unknown;
  attempts: number;
  maxAttempts: number;
  leaseMs: number;
  maxRuntimeMs: number;
  availableAt: Date;
  leaseId: string | null;
  leaseExpiresAt: Date | null;
  claimedByAgent: string | null;
  claimedByToken: string | null;
  claimedAt: Date | null;
  resultHash: string | null;
  createdByRunId: string | null;
  idempotencyKey: string | null;
  resultRunId: string | null;
  finishedAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
};

export const jobSelect = {
  id: true,
  kind: true,
  status: true,
  priority: true,
  input: true,
  result: true,
  error: true,
  attempts: true,
  maxAttempts: true,
  leaseMs: true,
  maxRuntimeMs: true,
  availableAt: true,
  leaseId: true,
  leaseExpiresAt: true,
  claimedByAgent: true,
  claimedByToken: true,
  claimedAt: true,
  resultHash: true,
  createdByRunId: true,
  idempotencyKey: true,
  resultRunId: true,
  finishedAt: true,
  createdAt: true,
  updatedAt: true,
} satisfies Prisma.AgentJobSelect;

const RETURNING = Prisma.raw(`
  id, kind, status::text AS status, priority, input, result, error, attempts, max_attempts AS "maxAttempts",
  lease_ms AS "leaseMs", max_runtime_ms AS "maxRuntimeMs", available_at AS "availableAt", lease_id AS "leaseId",
  lease_expires_at AS "leaseExpiresAt", claimed_by_agent AS "claimedByAgent", claimed_by_token AS "claimedByToken",
  claimed_at AS "claimedAt", result_hash AS "resultHash", created_by_run_id AS "createdByRunId",
  idempotency_key AS "idempotencyKey", result_run_id AS "resultRunId", finished_at AS "finishedAt", created_at AS "createdAt", updated_at AS "updatedAt"`);

export type EventActor = { agentId: string | null; tokenId: string | null };

export type NewJob = {
  id: string;
  /** The id of its "created" event. */
  eventId: string;
  kind: string;
  priority: number;
  input: Prisma.InputJsonValue;
  maxAttempts: number;
  leaseMs: number;
  maxRuntimeMs: number;
  idempotencyKey: string | null;
  createdByRunId: string | null;
  /** The mailbox the input came from (input.source.accountId): the job is then private to its owner. */
  mailboxAccountId: string | null;
};

/**
 * Queues jobs, each with its "created" event, in one statement whatever their number (the values
 * travel as arrays, so the text is fixed and stays prepared). A job whose idempotency key is
 * taken is skipped: only the jobs inserted are returned. Available at once, by the database's clock.
 */
export async function insertJobs(tx: SqlTx, rows: NewJob[]): Promise<JobRow[]> {
  if (rows.length === 0) return [];
  const inputs = rows.map((r) => JSON.stringify(r.input));
  const column = <T>(pick: (row: NewJob) => T) => rows.map(pick);
  // Only the database's part comes back (which rows went in, and when by its clock); the rest of
  // each row is what went in. Fewer columns to describe and parse on the path of every job.
  const inserted = await queryRows<{ id: string; createdAt: Date }>(tx, Prisma.sql`
    WITH incoming AS (
      SELECT t.* FROM unnest(
        ${column((r) => r.id)}::text[], ${column((r) => r.eventId)}::text[], ${column((r) => r.kind)}::text[],
        ${column((r) => String(r.priority))}::text[], ${inputs}::text[],
        ${column((r) => String(r.maxAttempts))}::text[], ${column((r) => String(r.leaseMs))}::text[],
        ${column((r) => String(r.maxRuntimeMs))}::text[], ${column((r) => r.idempotencyKey)}::text[],
        ${column((r) => r.createdByRunId)}::text[], ${column((r) => r.mailboxAccountId)}::text[]
      ) WITH ORDINALITY AS t(id, event_id, kind, priority, input, max_attempts, lease_ms, max_runtime_ms, idempotency_key, created_by_run_id, mailbox_account_id, n)
    ), inserted AS (
      INSERT INTO agent_jobs (id, kind, status, priority, input, attempts, max_attempts, lease_ms, max_runtime_ms,
                              available_at, idempotency_key, created_by_run_id, mailbox_account_id, created_at, updated_at)
      SELECT id, kind, 'queued', priority::int, input::jsonb, 0, max_attempts::int, lease_ms::int, max_runtime_ms::int,
             ${NOW}, idempotency_key, created_by_run_id, mailbox_account_id, ${NOW}, ${NOW}
        FROM incoming ORDER BY n
      ON CONFLICT (idempotency_key) DO NOTHING
      RETURNING id, created_at
    ), events AS (
      INSERT INTO agent_job_events (id, job_id, type, detail, created_at)
      SELECT incoming.event_id, inserted.id, 'created',
             jsonb_build_object('runId', incoming.created_by_run_id, 'priority', incoming.priority::int), ${NOW}
        FROM inserted JOIN incoming ON incoming.id = inserted.id
    )
    SELECT id, created_at AS "createdAt" FROM inserted`);
  const createdAt = new Map(inserted.map((row) => [row.id, row.createdAt]));
  return rows.flatMap((row, i): JobRow[] => {
    const at = createdAt.get(row.id);
    if (!at) return [];
    return [
      {
        id: row.id,
        kind: row.kind,
        status: "queued",
        priority: row.priority,
        input: JSON.parse(inputs[i]!),
        result: null,
        error: null,
        attempts: 0,
        maxAttempts: row.maxAttempts,
        leaseMs: row.leaseMs,
        maxRuntimeMs: row.maxRuntimeMs,
        availableAt: at,
        leaseId: null,
        leaseExpiresAt: null,
        claimedByAgent: null,
        claimedByToken: null,
        claimedAt: null,
        resultHash: null,
        createdByRunId: row.createdByRunId,
        idempotencyKey: row.idempotencyKey,
        resultRunId: null,
        finishedAt: null,
        createdAt: at,
        updatedAt: at,
      },
    ];
  });
}

/** The mailbox a job was made from, if any (null also for a job that does not exist). */
export async function findJobMailbox(tx: Tx, id: string): Promise<string | null> {
  const row = await tx.agentJob.findUnique({ where: { id }, select: { mailboxAccountId: true } });
  return row?.mailboxAccountId ?? null;
}

/** The whole job (as Prisma's findUnique with jobSelect would give it), in one prepared statement. */
export async function findJob(tx: SqlTx, id: string): Promise<JobRow | null> {
  const rows = await queryRows<JobRow>(tx, Prisma.sql`SELECT ${RETURNING} FROM agent_jobs WHERE id = ${id}`);
  return rows[0] ?? null;
}

export type JobResultState = Pick<JobRow, "id" | "kind" | "status" | "resultRunId">;

/**
 * What starting a job's result handler needs to know (its kind, whether it succeeded, the run it
 * links to), without the input and result: the handler's pipeline reads the whole job itself.
 */
export async function findJobResultState(tx: SqlTx, id: string): Promise<JobResultState | null> {
  const rows = await queryRows<JobResultState>(tx, Prisma.sql`
    SELECT id, kind, status::text AS status, result_run_id AS "resultRunId" FROM agent_jobs WHERE id = ${id}`);
  return rows[0] ?? null;
}

/** Links the job to the run of its result handler. */
export async function setResultRun(tx: SqlTx, id: string, runId: string): Promise<void> {
  await queryRows(tx, Prisma.sql`UPDATE agent_jobs SET result_run_id = ${runId}, updated_at = ${NOW} WHERE id = ${id}`);
}

export type ResultRunStart = {
  jobId: string;
  runId: string;
  pipeline: string;
  /** The run's input, as JSON text. */
  input: string;
  /** The run's idempotency key, which is also its work key (one piece of work per job). */
  key: string;
  actorLabel: string;
  timeoutMs: number;
};

/**
 * Records the result runs of several succeeded jobs (started by a system actor, status running) and
 * links each job to its run, in one statement: a run is never recorded without its link, and a
 * round of handlers costs one commit to start, not two per job. Only jobs still without a result
 * run whose key no run holds yet are started here; the others (not succeeded, linked already, a
 * run holding the key) are left out, for the caller to take one at a time.
 *
 * Committed without waiting for the disk, as insertRun is on its own: the run's end waits, and
 * flushes this too; a database crash in between loses run and link together, and the sweep starts
 * the job's handler again.
 */
export async function startResultRuns(
  tx: SqlTx,
  starts: ResultRunStart[],
  at: { startedAt: Date; instanceId: string | null },
): Promise<{ jobId: string; runId: string; attempt: number; queuedAt: Date }[]> {
  if (starts.length === 0) return [];
  const column = <T>(pick: (start: ResultRunStart) => T) => starts.map(pick);
  const startedAt = at.startedAt.toISOString();
  return queryRows(tx, Prisma.sql`
    WITH incoming AS (
      SELECT t.* FROM unnest(
        ${column((s) => s.jobId)}::text[], ${column((s) => s.runId)}::text[], ${column((s) => s.pipeline)}::text[],
        ${column((s) => s.input)}::text[], ${column((s) => s.key)}::text[], ${column((s) => s.actorLabel)}::text[],
        ${column((s) => s.timeoutMs)}::int[]
      ) AS t(job_id, run_id, pipeline, input, key, actor_label, timeout_ms)
    ), eligible AS (
      SELECT i.* FROM incoming i JOIN agent_jobs j ON j.id = i.job_id, (SELECT set_config('synchronous_commit', 'off', true)) AS no_wait
       WHERE j.status = 'succeeded' AND j.result_run_id IS NULL
    ), inserted AS (
      INSERT INTO pipeline_runs (id, pipeline, status, trigger, input, actor_type, actor_label, idempotency_key, idempotency_scope,
                                 instance_id, timeout_ms, queued_at, started_at, work_key, attempt)
      SELECT e.run_id, e.pipeline, 'running', 'agent', e.input::jsonb, 'system', e.actor_label, e.key, 'system',
             ${at.instanceId}::text, e.timeout_ms, ${startedAt}::timestamptz AT TIME ZONE 'UTC', ${startedAt}::timestamptz AT TIME ZONE 'UTC', e.key,
             (SELECT count(*) + 1 FROM pipeline_runs p WHERE p.work_key = e.key)::int
        FROM eligible e
      ON CONFLICT DO NOTHING
      RETURNING id, attempt, queued_at
    ), linked AS (
      UPDATE agent_jobs j SET result_run_id = r.id, updated_at = ${NOW}
        FROM inserted r JOIN incoming i ON i.run_id = r.id
       WHERE j.id = i.job_id
    )
    SELECT i.job_id AS "jobId", r.id AS "runId", r.attempt, r.queued_at AS "queuedAt" FROM inserted r JOIN incoming i ON i.run_id = r.id`);
}

/** Several whole jobs in one statement (rows for the ids that exist, in no particular order). */
export function findJobs(tx: SqlTx, ids: string[]): Promise<JobRow[]> {
  if (ids.length === 0) return Promise.resolve([]);
  return queryRows<JobRow>(tx, Prisma.sql`SELECT ${RETURNING} FROM agent_jobs WHERE id = ANY(${ids}::text[])`);
}

/** Just enough of several jobs to say where each stands (a page of triaged mail, say). */
export function findJobStatuses(tx: Tx, ids: string[]): Promise<{ id: string; kind: string; status: JobStatus; resultRunId: string | null }[]> {
  if (ids.length === 0) return Promise.resolve([]);
  return tx.agentJob.findMany({ where: { id: { in: ids } }, select: { id: true, kind: true, status: true, resultRunId: true } });
}

export function findJobsByIdempotencyKeys(tx: SqlTx, keys: string[]): Promise<JobRow[]> {
  if (keys.length === 0) return Promise.resolve([]);
  return queryRows<JobRow>(tx, Prisma.sql`SELECT ${RETURNING} FROM agent_jobs WHERE idempotency_key = ANY(${keys}::text[])`);
}

export type NewEvent = {
  id: string;
  jobId: string;
  type: string;
  agentId?: string | null;
  tokenId?: string | null;
  attempt?: number | null;
  detail?: Prisma.InputJsonValue;
};

export async function insertEvents(tx: Tx, events: NewEvent[]): Promise<void> {
  if (events.length > 0) await tx.agentJobEvent.createMany({ data: events.map((e) => ({ ...e, createdAt: new Date() })) });
}

/** Whether the agent has ever claimed (or tried to use) the job: it may read it and is told 409, not 404. */
/** Whether the job's lease has run out, by the database's clock. */
export async function isLeaseExpired(tx: Tx, jobId: string): Promise<boolean> {
  const rows = await tx.$queryRaw<{ expired: boolean }[]>`
    SELECT lease_expires_at <= (now() AT TIME ZONE 'UTC') AS expired FROM agent_jobs WHERE id = ${jobId}`;
  return rows[0]?.expired === true;
}

export async function agentTouchedJob(tx: Tx, jobId: string, agentId: string): Promise<boolean> {
  const event = await tx.agentJobEvent.findFirst({ where: { jobId, agentId }, select: { id: true } });
  return event !== null;
}

/** What a claim sets on each job it takes. */
const claimSet = (actor: EventActor) => Prisma.sql`
  status = 'claimed',
  lease_id = 'lse_' || replace(gen_random_uuid()::text, '-', ''),
  lease_expires_at = ${NOW} + LEAST(j.lease_ms, j.max_runtime_ms) * interval '1 millisecond',
  attempts = j.attempts + 1,
  claimed_by_agent = ${actor.agentId},
  claimed_by_token = ${actor.tokenId},
  claimed_at = ${NOW},
  error = NULL,
  updated_at = ${NOW}`;

/**
 * Claims up to `limit` queued jobs of the given kinds, highest priority first, then oldest, in one
 * statement. SKIP LOCKED: concurrent claimers each get different rows and never wait on each other.
 * `eventIds` must hold at least `limit` ids, one for each claim event.
 */
export function claimQueuedJobs(
  tx: Tx,
  args: { kinds: string[]; limit: number; actor: EventActor; eventIds: string[] },
): Promise<JobRow[]> {
  const { kinds, limit, actor, eventIds } = args;
  // One kind is the common case: an equality lets the (status, kind, priority, available_at) index
  // hand rows over in claim order without sorting the queue.
  const kindFilter = kinds.length === 1 ? Prisma.sql`kind = ${kinds[0]}` : Prisma.sql`kind = ANY(${kinds}::text[])`;
  const pick = Prisma.sql`
    SELECT id FROM agent_jobs
     WHERE status = 'queued' AND ${kindFilter} AND available_at <= ${NOW}
     ORDER BY priority DESC, available_at
     LIMIT ${limit}
       FOR UPDATE SKIP LOCKED`;
  // Planning is a large part of these statements' cost (each call inside a transaction, and the
  // first few on a pool connection): one job (what agents ask for by default) is picked by a scalar
  // subquery and needs no join, nor a window to pair events with ids (0.10 ms of planning instead of 0.17).
  if (limit === 1) {
    return queryRows<JobRow>(tx, Prisma.sql`
      WITH claimed AS (
        UPDATE agent_jobs j SET ${claimSet(actor)} WHERE j.id = (${pick})
        RETURNING ${RETURNING}
      ), events AS (
        INSERT INTO agent_job_events (id, job_id, type, agent_id, token_id, attempt, created_at)
        SELECT ${eventIds[0]}, c.id, 'claimed', ${actor.agentId}, ${actor.tokenId}, c.attempts, ${NOW} FROM claimed c
      )
      SELECT * FROM claimed`);
  }
  return queryRows<JobRow>(tx, Prisma.sql`
    WITH picked AS (${pick}), claimed AS (
      UPDATE agent_jobs j SET ${claimSet(actor)} WHERE j.id IN (SELECT id FROM picked)
      RETURNING ${RETURNING}
    ), events AS (
      INSERT INTO agent_job_events (id, job_id, type, agent_id, token_id, attempt, created_at)
      SELECT (${eventIds}::text[])[row_number() OVER ()], c.id, 'claimed', ${actor.agentId}, ${actor.tokenId}, c.attempts, ${NOW}
        FROM claimed c
    )
    SELECT * FROM claimed`);
}

export type Holder = { jobId: string; leaseId: string; agentId: string; tokenId: string };

/** Extends a live lease held by this agent (never past the attempt's max runtime); null when it does not hold one. */
export async function extendLease(tx: Tx, holder: Holder, eventId: string): Promise<{ leaseExpiresAt: Date; attempts: number } | null> {
  const rows = await queryRows<{ leaseExpiresAt: Date; attempts: number }>(tx, Prisma.sql`
    WITH extended AS (
      UPDATE agent_jobs
         SET lease_expires_at = LEAST(${NOW} + lease_ms * interval '1 millisecond', claimed_at + max_runtime_ms * interval '1 millisecond'),
             updated_at = ${NOW}
       WHERE id = ${holder.jobId} AND status = 'claimed' AND lease_id = ${holder.leaseId}
         AND claimed_by_agent = ${holder.agentId} AND lease_expires_at > ${NOW}
      RETURNING id, attempts, lease_expires_at
    ), events AS (
      INSERT INTO agent_job_events (id, job_id, type, agent_id, token_id, attempt, created_at)
      SELECT ${eventId}, id, 'heartbeat', ${holder.agentId}, ${holder.tokenId}, attempts, ${NOW} FROM extended
    )
    SELECT lease_expires_at AS "leaseExpiresAt", attempts FROM extended`);
  return rows[0] ?? null;
}

/**
 * Records the result of a job this agent holds. Allowed after the lease ran out as long as nobody
 * else has claimed it since (the lease id still matches): the work is done, and keeping it loses nothing.
 */
export async function markSucceeded(
  tx: Tx,
  holder: Holder,
  outcome: { result: Prisma.InputJsonValue; resultHash: string },
  eventId: string,
): Promise<{ attempts: number; finishedAt: Date } | null> {
  const rows = await queryRows<{ attempts: number; finishedAt: Date }>(tx, Prisma.sql`
    WITH done AS (
      UPDATE agent_jobs
         SET status = 'succeeded', result = ${JSON.stringify(outcome.result)}::jsonb, result_hash = ${outcome.resultHash},
             lease_expires_at = NULL, finished_at = ${NOW}, updated_at = ${NOW}
       WHERE id = ${holder.jobId} AND status = 'claimed' AND lease_id = ${holder.leaseId} AND claimed_by_agent = ${holder.agentId}
      RETURNING id, attempts, finished_at
    ), events AS (
      INSERT INTO agent_job_events (id, job_id, type, agent_id, token_id, attempt, detail, created_at)
      SELECT ${eventId}, id, 'completed', ${holder.agentId}, ${holder.tokenId}, attempts,
             jsonb_build_object('resultHash', ${outcome.resultHash}::text), ${NOW}
        FROM done
    )
    SELECT attempts, finished_at AS "finishedAt" FROM done`);
  return rows[0] ?? null;
}

/**
 * The holder reports a failure: back to the queue after `backoff` when it may be retried and
 * attempts remain, otherwise `failed` for good.
 */
export async function markFailed(
  tx: Tx,
  holder: Holder,
  failure: { message: string; retryable: boolean; backoffBaseMs: number; backoffMaxMs: number },
  eventId: string,
): Promise<{ status: JobStatus; attempts: number; availableAt: Date } | null> {
  const { message, retryable, backoffBaseMs, backoffMaxMs } = failure;
  const rows = await queryRows<{ status: JobStatus; attempts: number; availableAt: Date }>(tx, Prisma.sql`
    WITH failed AS (
      UPDATE agent_jobs
         SET status = CASE WHEN ${retryable}::boolean AND attempts < max_attempts THEN 'queued'::"JobStatus" ELSE 'failed'::"JobStatus" END,
             available_at = CASE WHEN ${retryable}::boolean AND attempts < max_attempts
                                 THEN ${NOW} + LEAST(${backoffBaseMs}::float8 * power(2, attempts - 1), ${backoffMaxMs}::float8) * interval '1 millisecond'
                                 ELSE available_at END,
             finished_at = CASE WHEN ${retryable}::boolean AND attempts < max_attempts THEN NULL ELSE ${NOW} END,
             error = jsonb_build_object('message', ${message}::text, 'retryable', ${retryable}::boolean, 'attempt', attempts),
             lease_id = NULL, lease_expires_at = NULL, updated_at = ${NOW}
       WHERE id = ${holder.jobId} AND status = 'claimed' AND lease_id = ${holder.leaseId} AND claimed_by_agent = ${holder.agentId}
      RETURNING id, status, attempts, available_at
    ), events AS (
      INSERT INTO agent_job_events (id, job_id, type, agent_id, token_id, attempt, detail, created_at)
      SELECT ${eventId}, id, 'failed', ${holder.agentId}, ${holder.tokenId}, attempts,
             jsonb_build_object('message', ${message}::text, 'retryable', ${retryable}::boolean, 'willRetry', status = 'queued'), ${NOW}
        FROM failed
    )
    SELECT status::text AS status, attempts, available_at AS "availableAt" FROM failed`);
  return rows[0] ?? null;
}

export type ExpiredJob = { id: string; status: JobStatus; attempts: number; agentId: string | null; tokenId: string | null };

/**
 * Claimed jobs whose lease ran out (or whose attempt passed its max runtime) by the database's
 * clock, the one that set the lease (an app server's clock may be off): back to the queue (keeping
 * their place in line), or dead when that was the last attempt. Locked rows are skipped: a holder
 * completing it right now wins, and the next sweep sees the rest.
 */
export function expireClaims(tx: Tx): Promise<ExpiredJob[]> {
  return tx.$queryRaw<ExpiredJob[]>`
    UPDATE agent_jobs
       SET status = CASE WHEN attempts >= max_attempts THEN 'dead'::"JobStatus" ELSE 'queued'::"JobStatus" END,
           finished_at = CASE WHEN attempts >= max_attempts THEN ${NOW} ELSE NULL END,
           error = jsonb_build_object('message', 'The lease expired before the job was completed', 'attempt', attempts),
           lease_id = NULL, lease_expires_at = NULL, updated_at = ${NOW}
     WHERE id IN (
       SELECT id FROM agent_jobs
        WHERE status = 'claimed'
          AND (lease_expires_at < ${NOW} OR claimed_at + max_runtime_ms * interval '1 millisecond' < ${NOW})
        FOR UPDATE SKIP LOCKED)
    RETURNING id, status::text AS status, attempts, claimed_by_agent AS "agentId", claimed_by_token AS "tokenId"`;
}

/** Moves a job from one of `from` to `to`; null when it was not in one of them. */
export async function transition(
  tx: Tx,
  id: string,
  from: JobStatus[],
  data: Prisma.AgentJobUpdateManyMutationInput,
): Promise<JobRow | null> {
  const { count } = await tx.agentJob.updateMany({ where: { id, status: { in: from } }, data });
  return count === 1 ? findJob(tx, id) : null;
}

export function listEvents(tx: Tx, jobId: string) {
  return tx.agentJobEvent.findMany({
    where: { jobId },
    orderBy: [{ createdAt: "asc" }, { id: "asc" }],
    select: { id: true, type: true, agentId: true, tokenId: true, attempt: true, detail: true, createdAt: true },
  });
}

export type JobFilters = {
  status?: JobStatus[];
  kind?: string[];
  createdByRunId?: string;
  agentId?: string;
  /** Which jobs made from mail the reader may see (lib/email/mailbox-access.ts); unset: all. */
  visible?: Prisma.AgentJobWhereInput;
};

const whereOf = (filters: JobFilters): Prisma.AgentJobWhereInput => ({
  ...(filters.visible ?? {}),
  ...(filters.status?.length ? { status: { in: filters.status } } : {}),
  ...(filters.kind?.length ? { kind: { in: filters.kind } } : {}),
  ...(filters.createdByRunId ? { createdByRunId: filters.createdByRunId } : {}),
  ...(filters.agentId ? { claimedByAgent: filters.agentId } : {}),
});

/** Newest first; `cursor` is the last id of the previous page. */
export function listJobs(tx: Tx, filters: JobFilters, take: number, cursor?: string): Promise<JobRow[]> {
  return tx.agentJob.findMany({
    where: { ...whereOf(filters), ...(cursor ? { id: { lt: cursor } } : {}) },
    orderBy: { id: "desc" },
    take,
    select: jobSelect,
  });
}

export async function countByStatus(tx: Tx, filters: Omit<JobFilters, "status">): Promise<Record<JobStatus, number>> {
  const groups = await tx.agentJob.groupBy({ by: ["status"], where: whereOf(filters), _count: { _all: true } });
  const counts = { queued: 0, claimed: 0, succeeded: 0, failed: 0, dead: 0, cancelled: 0 } as Record<JobStatus, number>;
  for (const group of groups) counts[group.status] = group._count._all;
  return counts;
}
