"use client";

import Link from "next/link";
import { useCallback, useState } from "react";
import { Button, Spinner, buttonClass } from "@/components/ui/button";
import { Card, CardHeader, EmptyState } from "@/components/ui/card";
import { formatRelative } from "@/components/ui/format";
import { CopyButton } from "@/components/runs/copy-button";
import { ActionNoticeBanner, Breadcrumb, Mono, Row, When, type ActionNotice } from "@/components/ui/detail";
import { JsonView } from "@/components/runs/json-view";
import { usePolling } from "@/components/runs/use-polling";
import { DispatchStatusBadge, EventStatusBadge, isEventOpen, shortId } from "@/components/events/event-status-badge";
import type { EventDetailDto } from "@/lib/events/dto";
import { RETRY_DELAYS_SECONDS } from "@/lib/events/retry-schedule";
import { useCan } from "@/components/shell/permissions";

// One received event: what arrived (payload, raw body, headers), what ran (a dispatch per
// subscription, with its run and error), when it is retried on its own, and a Retry button while
// it is retryable (failed, dead, or stuck).

function errorTitle(event: EventDetailDto, failures: number): string {
  if (event.status === "invalid") return "Invalid payload — stored, never dispatched";
  const failed = `${failures} dispatch${failures === 1 ? "" : "es"} failed`;
  return event.status === "dead" ? `Dead: automatic retries stopped · ${failed}` : failed;
}

/** What happens next to a failed or dead event, and what the owner can do about it. */
function NextStep({ event }: { event: EventDetailDto }) {
  const fix = "Fix the subscription (or what the pipeline needs), then Retry: only the failed pipelines run again.";
  if (event.status === "failed" && event.nextAttemptAt) {
    return (
      <p className="mt-1 text-xs text-rose-700" data-testid="event-next-step" suppressHydrationWarning>
        Retried on its own {formatRelative(event.nextAttemptAt)} (automatic retry {event.autoRetries + 1} of {RETRY_DELAYS_SECONDS.length}). {fix}
      </p>
    );
  }
  if (event.status === "dead") {
    const why =
      event.autoRetries > 0
        ? `It failed again after ${event.autoRetries} automatic ${event.autoRetries === 1 ? "retry" : "retries"}, so it is not retried on its own any more.`
        : "Every failure is one a retry cannot fix without a change, so it is not retried on its own.";
    return <p className="mt-1 text-xs text-rose-700" data-testid="event-next-step">{why} {fix}</p>;
  }
  return event.status === "failed" ? <p className="mt-1 text-xs text-rose-700">{fix}</p> : null;
}

export type RetryResult = { status: "ok"; event: EventDetailDto } | { status: "error"; message: string };

export function EventDetail({ initial, retry }: { initial: EventDetailDto; retry: (id: string) => Promise<RetryResult> }) {
  const [event, setEvent] = useState(initial);
  const [retrying, setRetrying] = useState(false);
  const mayRun = useCan("work.run");
  const [notice, setNotice] = useState<ActionNotice | null>(null);
  const open = isEventOpen(event.status);

  const refresh = useCallback(async () => {
    const res = await fetch(`/api/webhook-events/${event.id}`, { cache: "no-store" });
    if (res.ok) setEvent(((await res.json()) as { event: EventDetailDto }).event);
  }, [event.id]);
  usePolling(refresh, open);

  const onRetry = async () => {
    setRetrying(true);
    setNotice(null);
    try {
      const result = await retry(event.id);
      if (result.status === "ok") {
        setEvent(result.event);
        setNotice({ tone: "info", text: "Dispatched again; failed pipelines run once more, succeeded ones are not repeated." });
      } else {
        setNotice({ tone: "error", text: result.message });
      }
    } catch {
      setNotice({ tone: "error", text: "The server could not be reached; try again." });
    } finally {
      setRetrying(false);
    }
  };

  const failures = event.dispatches.filter((d) => d.status === "failed").length;

  return (
    <>
      <Breadcrumb href="/events" label="Events" current={event.id} mono />
      <div className="mb-6 flex flex-wrap items-end justify-between gap-4">
        <div className="min-w-0">
          <div className="flex flex-wrap items-center gap-3">
            <h1 className="text-2xl font-semibold tracking-tight text-slate-900">
              <span className="font-mono">{event.source}</span>
              <span className="text-slate-400"> / </span>
              <span className="font-mono">{event.eventType ?? "untyped"}</span>
            </h1>
            <span data-testid="event-status"><EventStatusBadge status={event.status} /></span>
          </div>
          <p className="mt-1 text-sm text-slate-500" suppressHydrationWarning>
            Delivery <span className="font-mono text-xs">{event.deliveryId}</span> · received {formatRelative(event.receivedAt)}
          </p>
        </div>
        <div className="flex items-center gap-2">
          {event.retryable && mayRun ? (
            <Button onClick={onRetry} disabled={retrying}>
              {retrying ? <Spinner /> : null}
              {retrying ? "Retrying…" : "Retry"}
            </Button>
          ) : null}
          <Link href="/events/sources" className={buttonClass("secondary")}>Sources</Link>
        </div>
      </div>

      <ActionNoticeBanner notice={notice} />
      {open ? (
        <div className="mb-6 flex items-center gap-3 rounded-lg border border-brand-100 bg-brand-50 px-4 py-2.5 text-sm text-brand-700" aria-live="polite">
          <Spinner />
          This event is {event.status}; the page updates as its pipelines run.
        </div>
      ) : null}
      {event.error ? (
        <div role="note" data-testid="event-error" className="mb-6 rounded-lg border border-rose-200 bg-rose-50 px-4 py-3 text-sm text-rose-800">
          <p className="font-medium">{errorTitle(event, failures)}</p>
          <p className="mt-0.5 break-words">{event.error.message}</p>
          <NextStep event={event} />
        </div>
      ) : null}

      <div className="grid grid-cols-1 items-start gap-6 xl:grid-cols-2">
        <Card>
          <CardHeader title="Details" />
          <dl className="divide-y divide-slate-100">
            <Row label="Event id"><Mono value={event.id} /></Row>
            <Row label="Status"><EventStatusBadge status={event.status} /></Row>
            <Row label="Source"><Link href="/events/sources" className="font-mono text-xs text-brand-600 hover:underline">{event.source}</Link></Row>
            <Row label="Event type">{event.eventType ? <code className="font-mono text-xs">{event.eventType}</code> : <span className="text-slate-400">untyped (only &quot;*&quot; subscriptions match)</span>}</Row>
            <Row label="Delivery id"><Mono value={event.deliveryId} /></Row>
            <Row label="Attempts">{event.attempts}</Row>
            {event.status === "failed" && event.nextAttemptAt ? (
              <Row label="Next automatic retry"><When at={event.nextAttemptAt} /></Row>
            ) : null}
            {event.status === "dead" ? <Row label="Dead since"><When at={event.deadAt} /></Row> : null}
            <Row label="Received"><When at={event.receivedAt} /></Row>
            <Row label="Dispatched"><When at={event.dispatchedAt} /></Row>
            <Row label="Processed"><When at={event.processedAt} /></Row>
            <Row label="Request id">{event.headers["x-request-id"] ? <Mono value={event.headers["x-request-id"]} /> : <span className="text-slate-400">—</span>}</Row>
          </dl>
        </Card>

        <Card>
          <CardHeader title="Dispatches" description="One per matching subscription; each runs its pipeline once." />
          {event.dispatches.length === 0 ? (
            <EmptyState title={event.status === "invalid" ? "Not dispatched" : event.status === "processed" ? "No subscription matched" : "Not dispatched yet"}>
              {event.status === "invalid"
                ? "Invalid payloads are kept for inspection but never run."
                : event.status === "processed"
                  ? <>Add a subscription for <code className="font-mono text-xs">{event.eventType ?? "*"}</code> on the <Link href="/events/sources" className="text-brand-600 hover:underline">Sources</Link> page.</>
                  : "It will be dispatched in a moment."}
            </EmptyState>
          ) : (
            <ul className="divide-y divide-slate-100" data-testid="dispatches">
              {event.dispatches.map((d) => (
                <li key={d.id} data-dispatch-id={d.id} className="px-5 py-3 text-sm">
                  <div className="flex flex-wrap items-center justify-between gap-2">
                    <div className="flex min-w-0 items-center gap-2">
                      <DispatchStatusBadge status={d.status} />
                      <Link href={`/pipelines/${d.pipeline}`} className="font-mono text-xs text-slate-800 hover:text-brand-700 hover:underline">{d.pipeline}</Link>
                      <span className="text-xs text-slate-400">on {d.eventType === "*" ? "every event" : <code className="font-mono">{d.eventType}</code>}</span>
                    </div>
                    {d.runId ? (
                      <Link href={`/runs/${d.runId}`} className="font-mono text-xs font-medium text-brand-600 hover:underline" title={d.runId}>
                        run {shortId(d.runId)}
                      </Link>
                    ) : (
                      <span className="text-xs text-slate-400">no run</span>
                    )}
                  </div>
                  {d.error ? (
                    <p className="mt-1.5 rounded-md bg-rose-50 px-2.5 py-1.5 text-xs text-rose-800">
                      <span className="font-mono">{d.error.code}</span>: {d.error.message}
                      {d.error.final ? <span className="ml-1 text-rose-600">(not retried automatically)</span> : null}
                    </p>
                  ) : null}
                </li>
              ))}
            </ul>
          )}
        </Card>
      </div>

      <div className="mt-6 grid grid-cols-1 items-start gap-6 xl:grid-cols-2">
        <Card className="p-4">
          {event.payload === null ? (
            <EmptyState title="No parsed payload">The body is not a JSON object; see the raw body.</EmptyState>
          ) : (
            <JsonView value={event.payload} label="Payload" testId="event-payload" maxHeight="max-h-[32rem]" />
          )}
        </Card>
        <div className="space-y-6">
          <Card className="p-4">
            <div className="overflow-hidden rounded-lg border border-slate-200 bg-slate-50">
              <div className="flex items-center justify-between gap-2 border-b border-slate-200 bg-white/70 px-3 py-1">
                <span className="text-xs font-medium uppercase tracking-wide text-slate-500">Raw body ({event.rawBody.length} chars)</span>
                <CopyButton text={event.rawBody} label="Copy raw body" />
              </div>
              <pre data-testid="event-raw-body" className="max-h-64 overflow-auto whitespace-pre-wrap break-all px-3 py-2.5 font-mono text-xs text-slate-800">
                {event.rawBody || <span className="text-slate-400">(empty)</span>}
              </pre>
            </div>
          </Card>
          <Card className="p-4">
            <JsonView value={event.headers} label="Headers kept" testId="event-headers" maxHeight="max-h-64" />
          </Card>
        </div>
      </div>
    </>
  );
}
