import { Prisma } from "@/generated/prisma/client";
import { autocommit, withTransaction } from "@/lib/db/transaction";
import { isAppError } from "@/lib/errors";
import * as events from "@/lib/events/events.repository";
import { applyInputTemplate, TemplateError } from "@/lib/events/input-template";
import { RETRY_DELAYS_SECONDS } from "@/lib/events/retry-schedule";
import { findMatchingSubscriptions } from "@/lib/events/sources.repository";
import { crashPoint } from "@/lib/crash-point";
import { newId } from "@/lib/ids";
import { currentInstanceId, INSTANCE_STALE_MS } from "@/lib/instances";
import { getLogger } from "@/lib/logger";
import type { Actor } from "@/lib/pipelines/define";
import { runPipeline } from "@/lib/pipelines/run-pipeline";
import { isInterruptedRun } from "@/lib/pipelines/recover-runs";
import { waitForRun } from "@/lib/pipelines/runner";
import { findRun, type RunRow } from "@/lib/pipelines/runs.repository";
import { runWithRequestContext } from "@/lib/request-context";

// Runs the pipelines subscribed to a persisted event, once each, however often it is delivered.
//
// - The first attempt fans out: one WebhookDispatch row per enabled subscription matching the
//   source and event type (exact or "*"). Later attempts work on those rows only.
// - Each row is claimed atomically (pending → running), so two workers never run it together.
// - The run's idempotency key comes from the dispatch id (and, on a retry, the previous run), so
//   a worker that crashed after starting the run finds that run again instead of starting another.
// - A succeeded dispatch is never run again. A failed run is retried (this function throws, and
//   Inngest or the in-process driver calls it again, a few times within a minute); a template the
//   payload does not fit, an input the pipeline refuses or a pipeline that no longer exists fails
//   "final": it is not retried automatically, because the same payload would fail the same way. A
//   manual retry (after fixing the subscription) runs every failed dispatch again.
// - A failed event is retried later on its own (lib/events/heal-events.ts, on the schedule in
//   retry-schedule.ts); when the retries run out, or every failure is final, it is dead: it is
//   not dispatched again until someone retries it by hand. An automatic retry is one attempt:
//   once the event has had one, a failure is recorded on the event and not thrown, so the
//   driver's quick retries do not multiply the schedule's (one run per failed pipeline each).

export type DispatchSummary = { processed: number; failed: number; skipped: number };

/** A running dispatch untouched for this long lost its worker (longer than any pipeline's timeout). */
export const STALE_DISPATCH_MS = 15 * 60_000;
/** Runs found interrupted under this dispatch's keys that one attempt steps past. */
const MAX_RESUMED_ATTEMPTS = 5;

/** How long past the pipeline's own timeout to wait for a run before leaving it to a later attempt. */
const RUN_WAIT_MARGIN_MS = 30_000;

export class DispatchFailedError extends Error {
  constructor(eventId: string, failed: number, total: number) {
    super(`${failed} of ${total} subscribed pipeline run(s) failed for ${eventId}; it will be retried`);
    this.name = "DispatchFailedError";
  }
}

type DispatchError = { code: string; message: string; final?: boolean; runId?: string };
type Outcome = "succeeded" | "failed" | "failed-final" | "skipped" | "untouched" | "open";

type EventForDispatch = NonNullable<Awaited<ReturnType<typeof events.findEventForDispatch>>>;

function summarize(rows: { status: string }[]): DispatchSummary {
  return {
    processed: rows.filter((r) => r.status === "succeeded").length,
    failed: rows.filter((r) => r.status === "failed").length,
    skipped: rows.filter((r) => r.status === "skipped").length,
  };
}

function requestIdOf(event: EventForDispatch): string | null {
  const value = (event.headers as Record<string, unknown> | null)?.["x-request-id"];
  return typeof value === "string" ? value : null;
}

export function eventActor(event: { id: string; eventType: string | null; source: { name: string } }): Actor {
  return { type: "event", id: event.id, label: `${event.source.name}/${event.eventType ?? "untyped"}` };
}

function runError(run: RunRow): DispatchError {
  const error = run.error as { code?: string; message?: string } | null;
  return {
    code: "run_failed",
    message: `${run.pipeline} ${run.status}: ${error?.message ?? "no details"}`,
    runId: run.id,
  };
}

async function finish(id: string, status: "succeeded" | "failed" | "skipped", error: DispatchError | null): Promise<void> {
  await events.finishDispatch(autocommit(), id, { status, error: error as Prisma.InputJsonValue | null });
}

async function settle(dispatchId: string, run: RunRow): Promise<Outcome> {
  if (run.status === "queued" || run.status === "running") return "open";
  if (run.status === "succeeded") {
    await finish(dispatchId, "succeeded", null);
    return "succeeded";
  }
  await finish(dispatchId, "failed", runError(run));
  return "failed";
}

async function runDispatch(event: EventForDispatch, dispatch: events.DispatchRow): Promise<Outcome> {
  const db = autocommit();
  const claim = await events.claimDispatch(db, dispatch.id, { instanceId: currentInstanceId(), staleAfterMs: STALE_DISPATCH_MS, instanceStaleMs: INSTANCE_STALE_MS });
  if (!claim) return "untouched";
  crashPoint("dispatch:after-claim");
  const { subscription } = dispatch;
  if (!subscription.enabled) {
    await finish(dispatch.id, "skipped", { code: "subscription_disabled", message: "The subscription was disabled before this event ran" });
    return "skipped";
  }

  // An earlier attempt's run: done means done; still open means wait for it, not start another.
  if (claim.runId) {
    const previous = await findRun(db, claim.runId);
    if (previous?.status === "succeeded") return settle(dispatch.id, previous);
    if (previous && (previous.status === "queued" || previous.status === "running")) {
      return settle(dispatch.id, await waitForRun(previous.id, previous.timeoutMs + RUN_WAIT_MARGIN_MS));
    }
  }

  let input: Record<string, unknown>;
  try {
    input = applyInputTemplate(subscription.inputTemplate, event.payload);
  } catch (error) {
    if (!(error instanceof TemplateError)) throw error;
    await finish(dispatch.id, "failed", { code: "template_failed", message: `Input template: ${error.message}`, final: true });
    return "failed-final";
  }

  let run: RunRow;
  try {
    let previousRunId = claim.runId;
    for (let attempt = 0; ; attempt++) {
      const started = await runPipeline({
        name: subscription.pipeline,
        input,
        trigger: "event",
        actor: eventActor(event),
        requestId: requestIdOf(event),
        // A retry after a failed run needs a new key; a worker resuming a crashed attempt the same one.
        idempotencyKey: previousRunId ? `webhook:${dispatch.id}:after:${previousRunId}` : `webhook:${dispatch.id}`,
        // Every attempt is one piece of work: its effects outside the database carry this key.
        workKey: `webhook:${dispatch.id}`,
        waitMs: 0,
      });
      run = started.run;
      // The key found a run a crash interrupted before the dispatch recorded it: that attempt
      // counts as the previous one, and the next goes on from it.
      if (!(started.reused && isInterruptedRun(run)) || attempt >= MAX_RESUMED_ATTEMPTS) break;
      previousRunId = run.id;
    }
  } catch (error) {
    if (isAppError(error) && (error.code === "validation_failed" || error.code === "not_found")) {
      await finish(dispatch.id, "failed", { code: error.code, message: error.message, final: true });
      return "failed-final";
    }
    await finish(dispatch.id, "failed", { code: "dispatch_error", message: error instanceof Error ? error.message : String(error) });
    return "failed";
  }
  await events.recordDispatchRun(db, dispatch.id, run.id);
  const closed = await waitForRun(run.id, run.timeoutMs + RUN_WAIT_MARGIN_MS);
  crashPoint("dispatch:before-settle");
  return settle(dispatch.id, closed);
}

function failureSummary(rows: events.DispatchRow[]): Prisma.InputJsonValue {
  const failed = rows.filter((r) => r.status === "failed");
  const failures = failed.map((r) => {
    const error = (r.error ?? {}) as DispatchError;
    return {
      dispatchId: r.id,
      subscriptionId: r.subscriptionId,
      pipeline: r.subscription.pipeline,
      code: error.code ?? "failed",
      message: error.message ?? "failed",
      final: error.final === true,
      runId: r.runId,
    };
  });
  const first = failures[0]!;
  const message =
    failed.length === 1 && rows.length === 1
      ? first.message
      : `${failed.length} of ${rows.length} subscribed pipelines failed; first: ${first.message}`;
  return { code: "dispatch_failed", message, failures };
}

async function dispatch(event: EventForDispatch): Promise<DispatchSummary> {
  const db = autocommit();
  const eventId = event.id;
  const log = getLogger({ component: "webhook-dispatch", eventId });
  if (event.status === "invalid") return { processed: 0, failed: 0, skipped: 0 };
  if (event.status === "processed" || event.status === "dead") return summarize(await events.listDispatches(db, eventId));

  const now = new Date();
  await withTransaction(async (tx) => {
    // The UPDATE locks the event row: a concurrent first attempt waits and then sees attempts > 0.
    const before = await events.countDispatchAttempt(tx, eventId, now);
    if (before !== 0) return;
    const subscriptions = await findMatchingSubscriptions(tx, event.sourceId, event.eventType);
    await events.createDispatches(tx, subscriptions.map((s) => ({ id: newId("wdp"), eventId, subscriptionId: s.id })));
  });

  const rows = await events.listDispatches(db, eventId);
  const outcomes = await Promise.all(rows.map((row) => runDispatch(event, row)));
  const final = await events.listDispatches(db, eventId);
  const summary = summarize(final);

  if (final.some((r) => r.status === "pending" || r.status === "running")) {
    // Another worker holds a dispatch (or a run outlived our wait): whoever finishes it closes the event.
    log.info({ outcomes }, "some dispatches are still in progress");
    if (outcomes.includes("open")) throw new DispatchFailedError(eventId, outcomes.filter((o) => o === "open").length, rows.length);
    return summary;
  }
  // Retry only what a retry can fix: failed runs, not templates or inputs that can never fit.
  const retryable = outcomes.filter((o) => o === "failed").length;
  if (summary.failed > 0) {
    const anyRetryable = final.some((r) => r.status === "failed" && (r.error as DispatchError | null)?.final !== true);
    const status = await events.failEvent(db, eventId, { error: failureSummary(final), retryable: anyRetryable, delaysSeconds: RETRY_DELAYS_SECONDS });
    log.warn({ ...summary, outcomes, status }, status === "dead" ? "webhook event is dead: it waits for a manual retry" : "webhook event failed");
    // Dead: nothing more happens on its own, so the driver does not deliver it again either.
    if (status === "dead") return summary;
  } else {
    await events.markEventProcessed(db, eventId, new Date());
    log.info({ ...summary }, "webhook event processed");
  }
  // On the backoff schedule (an automatic retry claimed it), the schedule is the retry policy.
  if (retryable > 0 && event.autoRetries === 0) throw new DispatchFailedError(eventId, retryable, rows.length);
  return summary;
}

/** Dispatches a persisted webhook event to its subscribed pipelines; see the notes above. */
export async function dispatchWebhookEvent(eventId: string): Promise<DispatchSummary> {
  const event = await events.findEventForDispatch(autocommit(), eventId);
  if (!event) {
    getLogger({ component: "webhook-dispatch", eventId }).warn("the event no longer exists; nothing to dispatch");
    return { processed: 0, failed: 0, skipped: 0 };
  }
  // Log lines and runs carry the id of the request that delivered the event.
  const requestId = requestIdOf(event);
  return requestId ? runWithRequestContext({ requestId }, () => dispatch(event)) : dispatch(event);
}
