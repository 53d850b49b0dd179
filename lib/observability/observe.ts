import { SpanKind, SpanStatusCode } from "@opentelemetry/api";
import { metrics } from "@/lib/observability/metrics";
import { runWithRunId } from "@/lib/observability/run-context";
import { ATTR_RUN_ID, withSpan } from "@/lib/observability/tracing";

// One-line hooks the domain modules call: each records its metrics and, when tracing is on, wraps
// the work in a span. They take plain values so the domains do not depend on Prometheus or OTel.

type RunLike = { id: string; pipeline: string; trigger: string; requestId?: string | null };
type ClosedRun = { status: string; durationMs?: number | null; trigger?: string };

/** Wraps a run's execution: its span (child of the request's), its run id for Sentry, its metrics. */
export function observeRun<T extends ClosedRun>(run: RunLike, execute: () => Promise<T>): Promise<T> {
  return runWithRunId(run.id, () =>
    withSpan(
      `pipeline.run ${run.pipeline}`,
      { [ATTR_RUN_ID]: run.id, "pa.pipeline": run.pipeline, "pa.trigger": run.trigger },
      async (span) => {
        const closed = await execute();
        const labels = { pipeline: run.pipeline, trigger: run.trigger, status: closed.status };
        metrics().runs.inc(labels);
        if (closed.durationMs !== null && closed.durationMs !== undefined) metrics().runDuration.observe(labels, closed.durationMs / 1000);
        span?.setAttribute("pa.run_status", closed.status);
        if (closed.status === "failed") span?.setStatus({ code: SpanStatusCode.ERROR });
        return closed;
      },
    ),
  );
}

type JobLike = { id: string; kind: string; createdByRunId?: string | null };

/** The claim: its span names the jobs and the runs that created them. */
export function observeJobClaim<T extends JobLike>(kinds: string[], claim: () => Promise<T[]>): Promise<T[]> {
  return withSpan("job.claim", { "pa.job_kinds": kinds }, async () => {
    const rows = await claim();
    for (const row of rows) metrics().jobClaims.inc({ kind: row.kind });
    return rows;
  }, {
    describe: (rows) => ({
      "pa.job_ids": rows.map((r) => r.id),
      "pa.job_created_by_runs": rows.map((r) => r.createdByRunId ?? ""),
      ...(rows.length === 1 ? { "pa.job_id": rows[0]!.id, "pa.job_created_by_run": rows[0]!.createdByRunId ?? "" } : {}),
    }),
  });
}

/** An agent ending an attempt: completion (non-null = applied) or failure (requeued or failed). */
export function observeJobOutcome<T>(
  job: { id: string; kind: string | undefined },
  action: "complete" | "fail",
  apply: () => Promise<T>,
  outcomeOf: (result: T) => string | null,
): Promise<T> {
  const kind = job.kind ?? "unknown";
  return withSpan(`job.${action}`, { "pa.job_id": job.id, "pa.job_kind": kind }, async (span) => {
    const result = await apply();
    const outcome = outcomeOf(result);
    if (outcome) metrics().jobOutcomes.inc({ kind, outcome });
    span?.setAttribute("pa.job_outcome", outcome ?? "not_applied");
    return result;
  });
}

/** Jobs the lease sweep returned to the queue, or marked dead after their last attempt. */
export function recordLeaseExpiries(rows: { status: string }[]): void {
  for (const row of rows) metrics().leaseExpiries.inc({ outcome: row.status === "dead" ? "dead" : "requeued" });
}

/** A schedule slot whose run started, and how long after its slot time, by the schedule's pipeline (see metrics.ts). */
export function recordSlotFired(pipeline: string, kind: string, slotAt: Date, now = new Date()): void {
  const labels = { pipeline, kind };
  metrics().slotsFired.inc(labels);
  metrics().slotLateness.observe(labels, Math.max(0, (now.getTime() - slotAt.getTime()) / 1000));
}

/** A webhook delivery's outcome at the door: received, invalid, duplicate (stored before) or rejected. */
export function recordWebhookReceived(source: string, outcome: "received" | "invalid" | "duplicate" | "rejected"): void {
  metrics().webhooksReceived.inc({ source, outcome });
}

/** A committed triage batch: one count per message, by the stage that decided it. */
export function recordTriageBatch(messages: { stage: string; category: string; status: string }[]): void {
  for (const m of messages) metrics().triageMessages.inc({ stage: m.stage, category: m.category, status: m.status });
}

export function recordTriageUndos(count: number): void {
  metrics().triageUndos.inc(count);
}

export type ModelUsage = { inputTokens?: number; outputTokens?: number };

/** One model call (a chat step, a triage classification): calls, tokens, cost. */
export function recordModelCall(area: string, usage: ModelUsage, costUsd = 0, outcome: "ok" | "error" = "ok"): void {
  const m = metrics();
  m.modelCalls.inc({ area, outcome });
  m.modelTokens.inc({ area, direction: "input" }, usage.inputTokens ?? 0);
  m.modelTokens.inc({ area, direction: "output" }, usage.outputTokens ?? 0);
  m.modelCost.inc({ area }, Math.max(0, costUsd));
}

/** A Gmail API call's span (the API's own errors are mapped by the caller). */
export function traceGmailCall<T>(doing: string, call: () => Promise<T>): Promise<T> {
  return withSpan(`gmail ${doing}`, { "rpc.system": "gmail", "pa.gmail_call": doing }, () => call(), { kind: SpanKind.CLIENT });
}

/**
 * Jobs being created (inside the run that creates them): the last link of request → run → job. One
 * span per call: the job's id when it is one, the count when several.
 */
export function observeJobCreate<T extends { job: { id: string } }>(kinds: string[], create: () => Promise<T[]>): Promise<T[]> {
  const kind = kinds.length === 1 ? kinds[0]! : kinds;
  return withSpan("job.create", { "pa.job_kind": kind }, create, {
    describe: (results) => (results.length === 1 ? { "pa.job_id": results[0]!.job.id } : { "pa.job_count": results.length }),
  });
}
