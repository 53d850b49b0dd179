import pg from "pg";
import { Prisma } from "@/generated/prisma/client";
import { z } from "zod";
import { autocommit } from "@/lib/db/transaction";
import { withSqlTransaction, type SqlTransaction } from "@/lib/db/sql-transaction";
import { crashPoint } from "@/lib/crash-point";
import { AppError, fieldIssues, isAppError, validationError } from "@/lib/errors";
import { newId } from "@/lib/ids";
import { currentInstanceId } from "@/lib/instances";
import type { Logger } from "pino";
import { getLogger } from "@/lib/logger";
import type { Actor, AnyPipeline, PipelineContext, RunTriggerName } from "@/lib/pipelines/define";
import * as runs from "@/lib/pipelines/runs.repository";
import { INTERRUPTED_ERROR, isInterruptedRun } from "@/lib/pipelines/recover-runs";
import { observeRun } from "@/lib/observability/observe";
import { captureException } from "@/lib/observability/sentry";
import { processGlobal } from "@/lib/process-global";

// The runner: validate input → record the run → execute with a context (logger, transactions,
// child runs, an abort signal honouring the timeout) → validate output → record the outcome.
// A pipeline's failure is a failed run, never an exception for the caller.
//
// Crashes. The run row is committed first (status running), so a process that dies mid-run leaves
// it open and recovery closes it as `interrupted`. What the run did before that depends on where
// its effects live:
//   - a `transactional` pipeline (all its effects are rows in our database, e.g. agent-jobs.create)
//     runs inside one transaction that ends with the run's outcome: its effects and "succeeded"
//     commit together or not at all, so an interrupted run did nothing and a retry is exact;
//   - any other pipeline gets the caller's work key (ctx.workKey, stable across retries) to put on
//     what it does outside the database (a notification's delivery id, a note's front matter), so a
//     retry recognises an effect that was done before the crash instead of doing it twice.
// A caller's retry with the idempotency key of an interrupted run is that work's next attempt (startRun).

export type RunOptions = {
  trigger: RunTriggerName;
  actor: Actor;
  requestId?: string | null;
  idempotencyKey?: string | null;
  /** The logical work this run attempts (see PipelineContext.workKey); the same on every retry. */
  workKey?: string | null;
  parentRunId?: string | null;
  /** The conversation whose assistant ran it (children inherit it). */
  conversationId?: string | null;
  /** Aborts the run (e.g. the parent's signal). */
  signal?: AbortSignal;
  /** Resolves pipeline names for child runs. */
  resolve: (name: string) => AnyPipeline;
  depth?: number;
  /**
   * Records a non-transactional run's outcome (default: one statement of its own); false when
   * something else closed the run first. A caller running many runs at once batches these.
   */
  finishRun?: (id: string, outcome: runs.RunOutcome, finishedAt: Date, durationMs: number) => Promise<boolean>;
};

export type StartedRun = {
  run: runs.RunRow;
  /** Settles with the closed run; never rejects. */
  completion: Promise<runs.RunRow>;
  /** True when an earlier run with the same idempotency key was returned instead. */
  reused: boolean;
};

export type RunError = { code: string; message: string; details?: unknown };

const MAX_DEPTH = 8;
// The runs executing in this process, whichever bundle started them (see lib/process-global.ts).
const active = processGlobal("runner.active", () => new Map<string, { controller: AbortController; completion: Promise<runs.RunRow> }>());

class CancelledError extends Error {
  constructor(readonly by: string) {
    super(`Cancelled by ${by}`);
  }
}

export function actorScope(actor: Actor): string {
  return actor.type === "system" ? "system" : `${actor.type}:${actor.id}`;
}

function actorColumns(actor: Actor) {
  return {
    actorType: actor.type,
    actorId: actor.type === "system" ? null : actor.id,
    actorLabel: actor.label,
    tokenId: actor.type === "agent" ? (actor.tokenId ?? null) : null,
  };
}

/** Values are stored as JSON: Dates become ISO strings, undefined and null become JSON null. */
function toJson(value: unknown): runs.JsonInput {
  return value === undefined || value === null ? Prisma.JsonNull : JSON.parse(JSON.stringify(value));
}

function describeError(error: unknown, timeoutMs: number): { status: "failed" | "cancelled"; error: RunError } {
  if (error instanceof CancelledError) return { status: "cancelled", error: { code: "cancelled", message: error.message } };
  if (error instanceof TimeoutError) {
    return { status: "failed", error: { code: "timeout", message: `Timed out after ${formatSeconds(timeoutMs)}` } };
  }
  if (isAppError(error)) return { status: "failed", error: error.toJSON() };
  if (error instanceof z.ZodError) {
    return { status: "failed", error: { code: "validation_failed", message: "A value was invalid", details: { issues: fieldIssues(error) } } };
  }
  const message = error instanceof Error && error.message ? error.message : "The pipeline failed";
  return { status: "failed", error: { code: "pipeline_error", message } };
}

class TimeoutError extends Error {}

/** A transactional run that did not succeed: its effects are rolled back, its outcome recorded after. */
class RollBack extends Error {
  constructor(readonly outcome: runs.RunOutcome) {
    super("rolled back");
  }
}

/** Recovery (or a cancel) closed the run while it ran: its effects must not commit. */
class ClosedElsewhere extends Error {}

/** Room beyond the pipeline's timeout for the run's own transaction to close. */
const TRANSACTION_MARGIN_MS = 5_000;

function formatSeconds(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${(ms / 1000).toFixed(1)} s`;
}

function rejectOnAbort(signal: AbortSignal): Promise<never> {
  return new Promise((_, reject) => {
    const fail = () => reject(signal.reason instanceof Error ? signal.reason : new CancelledError("the caller"));
    if (signal.aborted) fail();
    else signal.addEventListener("abort", fail, { once: true });
  });
}

async function execute(pipeline: AnyPipeline, input: unknown, run: runs.RunRow, options: RunOptions, controller: AbortController): Promise<runs.RunRow> {
  // A child logger costs more than a no-op run (its bindings go through redaction): made when first used.
  let runLog: Logger | undefined;
  const log = () => (runLog ??= getLogger({ component: "pipeline", pipeline: pipeline.name, runId: run.id }));
  const started = run.startedAt ?? new Date();
  const timer = setTimeout(() => controller.abort(new TimeoutError()), pipeline.timeoutMs);
  const onParentAbort = () => controller.abort(options.signal?.reason ?? new CancelledError("the parent run"));
  options.signal?.addEventListener("abort", onParentAbort, { once: true });

  let runTx: SqlTransaction | null = null;
  const ctx: PipelineContext = {
    runId: run.id,
    pipeline: pipeline.name,
    trigger: options.trigger,
    actor: options.actor,
    requestId: options.requestId ?? null,
    workKey: run.workKey,
    attempt: run.attempt,
    get log() {
      return log();
    },
    signal: controller.signal,
    // No savepoints: an error inside the run's transaction fails the run (and rolls back all of it).
    transaction: (fn) => (pipeline.transactional ? fn(runTx!) : withSqlTransaction(fn, { timeoutMs: pipeline.timeoutMs + TRANSACTION_MARGIN_MS })),
    async runPipeline(name, childInput) {
      if ((options.depth ?? 0) + 1 >= MAX_DEPTH) throw new AppError("conflict", `Pipelines may nest at most ${MAX_DEPTH} deep`);
      const child = await startRun(options.resolve(name), childInput, {
        ...options,
        idempotencyKey: null,
        workKey: null,
        parentRunId: run.id,
        signal: controller.signal,
        depth: (options.depth ?? 0) + 1,
      });
      const done = await child.completion;
      if (done.status !== "succeeded") {
        const childError = done.error as RunError | null;
        throw new AppError("conflict", `The child pipeline ${name} ${done.status}: ${childError?.message ?? "no details"}`, {
          childRunId: done.id,
        });
      }
      return done.output;
    },
  };

  const attempt = async (): Promise<runs.RunOutcome> => {
    const raw = await Promise.race([pipeline.run(input, ctx), rejectOnAbort(controller.signal)]);
    const parsed = pipeline.output.safeParse(raw);
    if (parsed.success) return { status: "succeeded", output: toJson(parsed.data) };
    log().error({ issues: fieldIssues(parsed.error) }, "pipeline returned output that does not match its schema");
    return {
      status: "failed",
      error: {
        code: "invalid_output",
        message: "The pipeline returned output that does not match its output schema",
        details: { issues: fieldIssues(parsed.error) },
      },
    };
  };

  let outcome: runs.RunOutcome;
  // Set when a transactional run's outcome went into its own transaction.
  const closing: { at: Date | null } = { at: null };
  try {
    if (pipeline.transactional) {
      // Effects and outcome in one commit. finishRun's UPDATE locks the run row, so recovery
      // closing it as interrupted and this commit cannot both win: whichever is second sees the
      // other's status and this run's effects roll back (ClosedElsewhere). The transaction is on a
      // pool connection, not Prisma's: a one-job run is five short statements, and Prisma's
      // transaction would double their cost.
      outcome = await withSqlTransaction(
        async (tx) => {
          runTx = tx;
          const result = await attempt();
          if (result.status !== "succeeded") throw new RollBack(result);
          closing.at = new Date();
          if (!(await runs.finishRun(tx, run.id, result, closing.at, closing.at.getTime() - started.getTime()))) throw new ClosedElsewhere();
          crashPoint("run:before-finish");
          return result;
        },
        { timeoutMs: pipeline.timeoutMs + TRANSACTION_MARGIN_MS },
      );
    } else {
      outcome = await attempt();
    }
  } catch (error) {
    if (error instanceof ClosedElsewhere) return (await runs.findRun(autocommit(), run.id)) ?? run;
    if (error instanceof RollBack) outcome = error.outcome;
    else {
      const described = describeError(error, pipeline.timeoutMs);
      if (described.error.code === "pipeline_error" || described.error.code === "internal") {
        log().error({ err: error }, "pipeline threw");
        captureException(error);
      } else log().warn({ code: described.error.code }, described.error.message);
      outcome = { status: described.status, error: described.error as Prisma.InputJsonValue };
    }
  } finally {
    clearTimeout(timer);
    options.signal?.removeEventListener("abort", onParentAbort);
  }

  // A transactional run that succeeded was closed in its own transaction.
  const closedInTransaction = closing.at !== null && outcome.status === "succeeded";
  const end: Date = closedInTransaction ? closing.at! : new Date();
  const durationMs = end.getTime() - started.getTime();
  if (!closedInTransaction) {
    crashPoint("run:before-finish");
    const closed = options.finishRun
      ? await options.finishRun(run.id, outcome, end, durationMs)
      : await runs.finishRun(autocommit(), run.id, outcome, end, durationMs);
    if (!closed) return (await runs.findRun(autocommit(), run.id)) ?? run;
  }
  if (getLogger().isLevelEnabled("info")) log().info({ status: outcome.status, durationMs }, "run finished");
  return {
    ...run,
    status: outcome.status,
    output: outcome.status === "succeeded" ? (outcome.output as Prisma.JsonValue) : null,
    error: outcome.status === "succeeded" ? null : (outcome.error as Prisma.JsonValue),
    finishedAt: end,
    durationMs,
  };
}

/** Through Prisma (P2002) or straight from PostgreSQL (runs are inserted on the pool: 23505). */
function isUniqueViolation(error: unknown): boolean {
  if (error instanceof Prisma.PrismaClientKnownRequestError) return error.code === "P2002";
  return error instanceof pg.DatabaseError && error.code === "23505";
}

/** Attempts at one idempotency key, as for schedule slots and result handlers: a pipeline that kills its process every time stops there. */
export const MAX_KEYED_ATTEMPTS = 5;
/** How long a retry may wait for another retry of the same key holding the interrupted run. */
const RETRY_TRANSACTION_MS = 15_000;

/**
 * The caller's own key (API, CLI, agent; no work key of an internal caller, which retries its work
 * itself) found a run recovery closed as interrupted, with attempts left: the next attempt runs.
 */
function isRetryable(existing: runs.RunRow, options: RunOptions, workKey: string | null): boolean {
  return !options.workKey && existing.workKey === workKey && existing.attempt < MAX_KEYED_ATTEMPTS && isInterruptedRun(existing);
}

/**
 * The next attempt in place of an interrupted run: the interrupted run (kept, with its error, in the
 * attempts) gives up its key and the new run takes it in one commit. Null when another retry of the
 * same key got there first.
 */
function insertNextAttempt(interrupted: runs.RunRow, next: runs.NewRun): Promise<runs.RunRow | null> {
  return withSqlTransaction(
    async (tx) => {
      if (!(await runs.releaseInterruptedRunKey(tx, interrupted.id, INTERRUPTED_ERROR.code, MAX_KEYED_ATTEMPTS))) return null;
      return runs.insertRun(tx, next);
    },
    { timeoutMs: RETRY_TRANSACTION_MS },
  );
}

function reusedRun(existing: runs.RunRow): StartedRun {
  return { run: existing, completion: waitForRun(existing.id, Infinity), reused: true };
}

/**
 * Validates and records a run, starts it, and returns at once with the open run and a promise of
 * the closed one. Invalid input is a 400 (no run is recorded for a request that was never valid).
 * A repeated idempotency key returns the run that holds it, unless a crash interrupted that run:
 * then the caller's retry is the next attempt at the same work (see isRetryable).
 */
export async function startRun(pipeline: AnyPipeline, rawInput: unknown, options: RunOptions): Promise<StartedRun> {
  const parsed = pipeline.input.safeParse(rawInput ?? {});
  if (!parsed.success) throw validationError(parsed.error, `Input for ${pipeline.name}`);

  const key = options.idempotencyKey || null;
  const scope = key ? actorScope(options.actor) : null;
  const findKeyHolder = () => (key && scope ? runs.findRunByIdempotencyKey(autocommit(), pipeline.name, scope, key) : Promise.resolve(null));
  // Internal callers name their work; a caller's own key (API, CLI, agent) is its work, per caller.
  const workKey = options.workKey ?? (key && scope ? `${scope}:${key}` : null);
  const existing = await findKeyHolder();
  if (existing && !isRetryable(existing, options, workKey)) return reusedRun(existing);

  const startedAt = new Date();
  const next: runs.NewRun = {
    id: newId("run"),
    pipeline: pipeline.name,
    status: "running",
    trigger: options.trigger,
    input: toJson(parsed.data),
    ...actorColumns(options.actor),
    requestId: options.requestId ?? null,
    idempotencyKey: key,
    idempotencyScope: scope,
    workKey,
    parentRunId: options.parentRunId ?? null,
    conversationId: options.conversationId ?? null,
    instanceId: currentInstanceId(),
    timeoutMs: pipeline.timeoutMs,
    // The app's clock for both: the database's now() may run a few ms ahead of it.
    queuedAt: startedAt,
    startedAt,
  };
  let run: runs.RunRow | null;
  try {
    run = existing ? await insertNextAttempt(existing, next) : await runs.insertRun(autocommit(), next);
  } catch (error) {
    // The same key arrived twice at once: the other request won; answer with its run.
    const holder = isUniqueViolation(error) ? await findKeyHolder() : null;
    if (holder) return reusedRun(holder);
    throw error;
  }
  if (!run) {
    // Two retries of one interrupted run at once: the other one's attempt holds the key now.
    const holder = await findKeyHolder();
    if (holder) return reusedRun(holder);
    throw new AppError("conflict", `The run with idempotency key "${key}" changed while this one started; try again`);
  }
  return launchRun(pipeline, parsed.data, run, options);
}

/**
 * Executes a run whose row is already recorded (status running), with input already validated:
 * the second half of startRun, for callers that record many runs in one statement (schedule slots).
 */
export function launchRun(pipeline: AnyPipeline, input: unknown, run: runs.RunRow, options: RunOptions): StartedRun {
  const controller = new AbortController();
  const completion = observeRun(run, () => execute(pipeline, input, run, options, controller)).finally(() => active.delete(run.id));
  active.set(run.id, { controller, completion });
  return { run, completion, reused: false };
}

const POLL_MS = 100;

/** The run once closed, or as it stands after `timeoutMs`. */
export async function waitForRun(id: string, timeoutMs: number): Promise<runs.RunRow> {
  const local = active.get(id);
  if (local) {
    if (!Number.isFinite(timeoutMs)) return local.completion;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<null>((resolve) => (timer = setTimeout(() => resolve(null), timeoutMs)));
    const done = await Promise.race([local.completion, timeout]);
    clearTimeout(timer);
    if (done) return done;
  }
  const deadline = Date.now() + (Number.isFinite(timeoutMs) ? timeoutMs : 24 * 3600_000);
  for (;;) {
    const row = await runs.findRun(autocommit(), id);
    if (!row) throw new AppError("not_found", `No run ${id}`);
    if ((row.status !== "queued" && row.status !== "running") || Date.now() >= deadline) return row;
    await new Promise((r) => setTimeout(r, POLL_MS));
  }
}

/**
 * Cancels a run: a queued one at once; a running one in this process through its signal.
 * A run executing in another instance cannot be reached from here.
 */
export async function cancelRun(id: string, by: string): Promise<runs.RunRow> {
  const local = active.get(id);
  if (local) {
    local.controller.abort(new CancelledError(by));
    return local.completion;
  }
  const row = await runs.findRun(autocommit(), id);
  if (!row) throw new AppError("not_found", `No run ${id}`);
  if (row.status === "queued") {
    await runs.finishRun(autocommit(), id, { status: "cancelled", error: { code: "cancelled", message: `Cancelled by ${by}` } }, new Date(), 0);
    return (await runs.findRun(autocommit(), id))!;
  }
  if (row.status === "running") {
    throw new AppError("conflict", "This run is executing in another app instance; it will stop at its timeout");
  }
  throw new AppError("conflict", `This run has already ${row.status}`);
}

export function activeRunCount(): number {
  return active.size;
}
