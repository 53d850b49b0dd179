"use client";

import { ActionNoticeBanner, Breadcrumb, Mono, Row, When, type ActionNotice } from "@/components/ui/detail";
import Link from "next/link";
import { useCallback, useState } from "react";
import { Button, Spinner, buttonClass } from "@/components/ui/button";
import { Card, CardHeader } from "@/components/ui/card";
import { formatDuration, formatRelative } from "@/components/ui/format";
import { JsonView } from "@/components/runs/json-view";
import { AttemptLine, RunAttempts } from "@/components/runs/run-attempts";
import { RunError } from "@/components/runs/run-error";
import { formatLimit, isOpen } from "@/components/runs/run-labels";
import { RunStatusBadge } from "@/components/runs/run-status-badge";
import { RunTable } from "@/components/runs/run-table";
import { usePolling } from "@/components/runs/use-polling";
import type { RunDto } from "@/lib/pipelines/run-dto";
import { useCan } from "@/components/shell/permissions";

// One run with its parent, children and the other attempts at its work, following it live while
// it (or a child, or another attempt) is open.

export type RunFamily = { run: RunDto; parent: RunDto | null; children: RunDto[]; attempts: RunDto[] };

function TimeoutBar({ run }: { run: RunDto }) {
  if (run.durationMs === null) return null;
  const share = Math.min(run.durationMs / run.timeoutMs, 1);
  const colour = run.status === "failed" ? "bg-rose-500" : run.status === "cancelled" ? "bg-slate-400" : run.status === "succeeded" ? "bg-emerald-500" : "bg-brand-500";
  return (
    <div className="px-5 pt-1 pb-4">
      <div className="h-1.5 overflow-hidden rounded-full bg-slate-100" aria-hidden="true">
        <div className={`h-full rounded-full ${colour}`} style={{ width: `${Math.max(share * 100, 1)}%` }} />
      </div>
      <p className="mt-1.5 text-xs text-slate-500">
        {share < 0.001 ? "Under 0.1%" : `${Math.round(share * 1000) / 10}%`} of the {formatLimit(run.timeoutMs)} timeout used
      </p>
    </div>
  );
}

export function RunDetail({ initial, pipelineTitle }: { initial: RunFamily; pipelineTitle: string | null }) {
  const mayRun = useCan("work.run");
  const [family, setFamily] = useState(initial);
  const [cancelling, setCancelling] = useState(false);
  const [notice, setNotice] = useState<ActionNotice | null>(null);
  const { run, parent, children, attempts } = family;
  const open = isOpen(run.status);
  const otherAttemptOpen = attempts.some((a) => a.id !== run.id && isOpen(a.status));
  const live = open || children.some((c) => isOpen(c.status)) || otherAttemptOpen;

  const refresh = useCallback(async () => {
    const res = await fetch(`/api/runs/${run.id}`, { cache: "no-store" });
    if (res.ok) setFamily((await res.json()) as RunFamily);
  }, [run.id]);
  usePolling(refresh, live);

  const cancel = async () => {
    setCancelling(true);
    setNotice(null);
    try {
      const res = await fetch(`/api/runs/${run.id}/cancel`, { method: "POST" });
      const body = await res.json().catch(() => null);
      if (!res.ok) {
        setNotice({ tone: "error", text: body?.error?.message ?? `The run could not be cancelled (HTTP ${res.status})` });
      } else {
        setFamily((f) => ({ ...f, run: body.run as RunDto }));
        setNotice({ tone: "info", text: "Cancelled." });
      }
    } catch {
      setNotice({ tone: "error", text: "The server could not be reached; the run may still be going." });
    } finally {
      setCancelling(false);
      void refresh();
    }
  };

  return (
    <>
      <Breadcrumb href="/runs" label="Runs" current={run.id} mono />
      <div className="mb-6 flex flex-wrap items-end justify-between gap-4">
        <div className="min-w-0">
          <div className="flex flex-wrap items-center gap-3">
            <h1 className="text-2xl font-semibold tracking-tight text-slate-900">{pipelineTitle ?? run.pipeline}</h1>
            <span data-testid="run-status"><RunStatusBadge status={run.status} /></span>
          </div>
          <p className="mt-1 flex flex-wrap items-center gap-x-2 text-sm text-slate-500">
            <span className="font-mono text-xs">{run.pipeline}</span>
            <span aria-hidden="true">·</span>
            <span>{run.trigger}</span>
            <span aria-hidden="true">·</span>
            <span suppressHydrationWarning>queued {formatRelative(run.queuedAt)}</span>
          </p>
          <AttemptLine run={run} attempts={attempts} />
        </div>
        <div className="flex items-center gap-2">
          {open && mayRun ? (
            <Button variant="danger" onClick={cancel} disabled={cancelling}>
              {cancelling ? <Spinner /> : null}
              {cancelling ? "Cancelling…" : "Cancel run"}
            </Button>
          ) : null}
          <Link href={`/pipelines/${run.pipeline}`} className={buttonClass("secondary")}>Open pipeline</Link>
        </div>
      </div>

      <ActionNoticeBanner notice={notice} />
      {live ? (
        <div className="mb-6 flex items-center gap-3 rounded-lg border border-brand-100 bg-brand-50 px-4 py-2.5 text-sm text-brand-700" aria-live="polite">
          <Spinner />
          {open
            ? `This run is ${run.status}; the page updates as it goes.`
            : otherAttemptOpen
              ? "Another attempt at this work is still going; the page updates as it goes."
              : "A child run is still going; the page updates as it goes."}
        </div>
      ) : null}

      <div className="grid items-start gap-6 xl:grid-cols-2">
        <Card>
          <CardHeader title="Details" />
          <dl className="divide-y divide-slate-100">
            <Row label="Run id"><Mono value={run.id} /></Row>
            <Row label="Status"><RunStatusBadge status={run.status} /></Row>
            <Row label="Pipeline">
              <Link href={`/pipelines/${run.pipeline}`} className="font-mono text-xs text-brand-600 hover:underline">{run.pipeline}</Link>
            </Row>
            <Row label="Trigger">{run.trigger}</Row>
            <Row label="Actor">
              <span className="font-medium" data-testid="run-actor">{run.actor.label ?? run.actor.type}</span>
              <span className="ml-2 rounded bg-slate-100 px-1.5 py-0.5 text-xs text-slate-600">{run.actor.type}</span>
            </Row>
            <Row label="Actor id"><Mono value={run.actor.id} /></Row>
            {run.actor.type === "agent" || run.actor.tokenId ? <Row label="Token id"><Mono value={run.actor.tokenId} /></Row> : null}
            <Row label="Request id"><Mono value={run.requestId} /></Row>
            <Row label="Idempotency key"><Mono value={run.idempotencyKey} /></Row>
            {run.workKey ? <Row label="Work key"><Mono value={run.workKey} /></Row> : null}
            {run.conversationId ? (
              <Row label="Conversation">
                <Link href={`/chat/${run.conversationId}`} className="font-mono text-xs text-brand-600 hover:underline" data-testid="run-conversation">
                  {run.conversationId}
                </Link>
              </Row>
            ) : null}
            <Row label="Parent run">
              {parent ? (
                <Link href={`/runs/${parent.id}`} className="inline-flex items-center gap-2 hover:underline">
                  <code className="font-mono text-xs text-brand-600">{parent.id}</code>
                  <span className="text-xs text-slate-500">{parent.pipeline}</span>
                </Link>
              ) : run.parentRunId ? (
                <code className="font-mono text-xs">{run.parentRunId}</code>
              ) : (
                <span className="text-slate-400">none (started directly)</span>
              )}
            </Row>
          </dl>
        </Card>

        <Card>
          <CardHeader title="Timing" description="Times in UTC." />
          <dl className="divide-y divide-slate-100">
            <Row label="Queued"><When at={run.queuedAt} /></Row>
            <Row label="Started"><When at={run.startedAt} /></Row>
            <Row label="Finished"><When at={run.finishedAt} /></Row>
            <Row label="Duration"><span className="tabular-nums">{open ? "still running" : formatDuration(run.durationMs)}</span></Row>
            <Row label="Timeout">{formatLimit(run.timeoutMs)}</Row>
          </dl>
          <TimeoutBar run={run} />
        </Card>

        <Card>
          <CardHeader title="Input" description="As validated and recorded, defaults applied." />
          <div className="p-5"><JsonView value={run.input} label="Input" testId="run-input" /></div>
        </Card>

        <Card>
          <CardHeader title={run.error ? "Error" : "Output"} description={run.error ? "What the run reported; stack traces stay in the server log." : "Validated against the pipeline's output schema."} />
          <div className="space-y-3 p-5">
            {run.status === "succeeded" ? (
              <JsonView value={run.output} label="Output" testId="run-output" />
            ) : open ? (
              <p className="flex items-center gap-2 text-sm text-slate-500"><Spinner /> The output appears here when the run finishes.</p>
            ) : run.error ? (
              <RunError error={run.error} status={run.status} />
            ) : (
              <p className="text-sm text-slate-500">This run recorded no output.</p>
            )}
          </div>
        </Card>
      </div>

      {attempts.length > 1 ? (
        // Below the sticky top bar when the line under the title jumps here.
        <div id="attempts" className="mt-6 scroll-mt-20">
          <Card className="overflow-hidden">
            <CardHeader title="Attempts" description="Runs of the same work, first first; a retry is a run of its own." />
            <RunAttempts run={run} attempts={attempts} />
          </Card>
        </div>
      ) : null}

      {children.length ? (
        <Card className="mt-6">
          <CardHeader title="Child runs" description="Pipelines this run started, in order." />
          <RunTable runs={children} />
        </Card>
      ) : null}
    </>
  );
}
