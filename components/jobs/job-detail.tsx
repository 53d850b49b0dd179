"use client";

import { ActionNoticeBanner, Breadcrumb, Mono, Row, When, none, type ActionNotice } from "@/components/ui/detail";
import Link from "next/link";
import { useCallback, useState } from "react";
import { Button, Spinner, buttonClass } from "@/components/ui/button";
import { Card, CardHeader } from "@/components/ui/card";
import { formatRelative } from "@/components/ui/format";
import { JsonView } from "@/components/runs/json-view";
import { formatLimit } from "@/components/runs/run-labels";
import { usePolling } from "@/components/runs/use-polling";
import { JobEventTrail } from "@/components/jobs/job-event-trail";
import { JobOutcomeCard } from "@/components/jobs/job-outcome-card";
import { agentLabel, canCancel, canRetry, isActiveJob, type AgentNames } from "@/components/jobs/job-labels";
import { JobStatusBadge } from "@/components/jobs/job-status-badge";
import type { JobDto } from "@/lib/jobs/job-dto";
import type { OwnerJobDetail as JobDetailData } from "@/lib/jobs/read-jobs";
import { useCan } from "@/components/shell/permissions";

// One job: what it is, who holds it, its instructions, input and result, what the result became
// (the outcome) and its event trail, followed live while it is queued or claimed or its result is
// still being saved or sent. Cancel and retry call the session API.

type Action = "cancel" | "retry";

export function JobDetail({ initial, kindTitle, agentNames }: { initial: JobDetailData; kindTitle: string | null; agentNames: AgentNames }) {
  const mayRun = useCan("work.run");
  const [detail, setDetail] = useState(initial);
  const [busy, setBusy] = useState<Action | null>(null);
  const [notice, setNotice] = useState<ActionNotice | null>(null);
  const { job, instructions, events, outcome } = detail;
  const live = isActiveJob(job.status);
  const settling = outcome.state === "pending" || (outcome.approval?.run != null && ["queued", "running"].includes(outcome.approval.run.status));
  const holder = agentLabel(job.claimedByAgent, agentNames);

  const refresh = useCallback(async () => {
    const res = await fetch(`/api/jobs/${job.id}`, { cache: "no-store" });
    if (res.ok) setDetail((await res.json()) as JobDetailData);
  }, [job.id]);
  usePolling(refresh, live || settling);

  const act = async (action: Action) => {
    setBusy(action);
    setNotice(null);
    try {
      const res = await fetch(`/api/jobs/${job.id}/${action}`, { method: "POST" });
      const body = await res.json().catch(() => null);
      if (!res.ok) {
        setNotice({ tone: "error", text: body?.error?.message ?? `The job could not be ${action === "cancel" ? "cancelled" : "retried"} (HTTP ${res.status})` });
      } else {
        setDetail((d) => ({ ...d, job: body.job as JobDto }));
        setNotice({ tone: "info", text: action === "cancel" ? "Cancelled. Any agent holding it loses its lease." : "Queued again with its attempts reset." });
      }
    } catch {
      setNotice({ tone: "error", text: "The server could not be reached; try again." });
    } finally {
      setBusy(null);
      void refresh();
    }
  };

  return (
    <>
      <Breadcrumb href="/jobs" label="Jobs" current={job.id} mono />
      <div className="mb-6 flex flex-wrap items-end justify-between gap-4">
        <div className="min-w-0">
          <div className="flex flex-wrap items-center gap-3">
            <h1 className="text-2xl font-semibold tracking-tight text-slate-900">{kindTitle ?? job.kind}</h1>
            <span data-testid="job-status"><JobStatusBadge status={job.status} /></span>
          </div>
          <p className="mt-1 flex flex-wrap items-center gap-x-2 text-sm text-slate-500">
            <span className="font-mono text-xs">{job.kind}</span>
            <span aria-hidden="true">·</span>
            <span>priority {job.priority}</span>
            <span aria-hidden="true">·</span>
            <span suppressHydrationWarning>created {formatRelative(job.createdAt)}</span>
          </p>
        </div>
        <div className="flex flex-wrap items-center gap-2">
          {mayRun && canCancel(job.status) ? (
            <Button variant="danger" onClick={() => void act("cancel")} disabled={busy !== null}>
              {busy === "cancel" ? <Spinner /> : null}
              {busy === "cancel" ? "Cancelling…" : "Cancel job"}
            </Button>
          ) : null}
          {mayRun && canRetry(job.status) ? (
            <Button onClick={() => void act("retry")} disabled={busy !== null}>
              {busy === "retry" ? <Spinner /> : null}
              {busy === "retry" ? "Retrying…" : "Retry job"}
            </Button>
          ) : null}
          {job.createdByRunId ? (
            <Link href={`/runs/${job.createdByRunId}`} className={buttonClass("secondary")}>Run that created it</Link>
          ) : null}
        </div>
      </div>

      <ActionNoticeBanner notice={notice} />
      {live ? (
        <div className="mb-6 flex items-center gap-3 rounded-lg border border-brand-100 bg-brand-50 px-4 py-2.5 text-sm text-brand-700" aria-live="polite">
          <Spinner />
          {job.status === "queued"
            ? "Waiting for an agent to claim it; the page updates as it goes."
            : `Claimed by ${holder ?? "an agent"}; the page updates as it goes.`}
        </div>
      ) : null}

      <div className="grid grid-cols-1 items-start gap-6 xl:grid-cols-2">
        {job.status === "succeeded" ? <JobOutcomeCard jobId={job.id} outcome={outcome} onChanged={refresh} /> : null}
        <Card>
          <CardHeader title="Details" />
          <dl className="divide-y divide-slate-100">
            <Row label="Job id"><Mono value={job.id} /></Row>
            <Row label="Kind">
              <span className="font-medium">{kindTitle ?? job.kind}</span>
              <code className="ml-2 rounded bg-slate-100 px-1.5 py-0.5 font-mono text-xs text-slate-600">{job.kind}</code>
            </Row>
            <Row label="Status"><JobStatusBadge status={job.status} /></Row>
            <Row label="Attempts"><span className="tabular-nums" data-testid="job-attempts">{job.attempts} of {job.maxAttempts}</span></Row>
            <Row label="Priority"><span className="tabular-nums">{job.priority}</span></Row>
            <Row label="Created by">
              {job.createdByRunId ? (
                <Link href={`/runs/${job.createdByRunId}`} className="font-mono text-xs text-brand-600 hover:underline">{job.createdByRunId}</Link>
              ) : (
                <span className="text-slate-400">no run recorded</span>
              )}
            </Row>
            <Row label="Idempotency key"><Mono value={job.idempotencyKey} /></Row>
          </dl>
        </Card>

        <Card>
          <CardHeader title="Lease and timing" description="Times in UTC." />
          <dl className="divide-y divide-slate-100">
            <Row label="Held by">
              {job.claimedByAgent ? (
                <Link href={`/agents/${job.claimedByAgent}`} className="inline-flex max-w-full flex-wrap items-center gap-x-2 hover:underline">
                  <span className="font-medium text-brand-700">{holder}</span>
                  {holder !== job.claimedByAgent ? <code className="break-all font-mono text-xs text-slate-500">{job.claimedByAgent}</code> : null}
                </Link>
              ) : (
                <span className="text-slate-400">nobody yet</span>
              )}
            </Row>
            <Row label="Token id"><Mono value={job.claimedByToken} /></Row>
            <Row label="Lease expires">{job.status === "claimed" ? <When at={job.leaseExpiresAt} /> : none}</Row>
            <Row label="Lease length">{formatLimit(job.leaseMs)} <span className="text-xs text-slate-500">(extended by heartbeats, up to {formatLimit(job.maxRuntimeMs)} in all)</span></Row>
            <Row label="Created"><When at={job.createdAt} /></Row>
            <Row label="Available"><When at={job.availableAt} /></Row>
            <Row label="Claimed"><When at={job.claimedAt} /></Row>
            <Row label="Finished"><When at={job.finishedAt} /></Row>
          </dl>
        </Card>

        <Card className="xl:col-span-2">
          <CardHeader title="Instructions" description="What the agent that claims this job is told, rendered from the kind and the input." />
          <div className="p-5">
            {instructions ? (
              <div className="rounded-lg border border-slate-200 bg-slate-50 px-4 py-3 text-sm leading-relaxed whitespace-pre-wrap text-slate-800" data-testid="job-instructions">
                {instructions}
              </div>
            ) : (
              <p className="text-sm text-slate-500">This job&apos;s kind is no longer registered, so there are no instructions.</p>
            )}
          </div>
        </Card>

        <Card>
          <CardHeader title="Input" description="As validated against the kind's input schema." />
          <div className="p-5"><JsonView value={job.input} label="Input" testId="job-input" /></div>
        </Card>

        <Card>
          <CardHeader
            title={job.error ? "Error" : "Result"}
            description={job.error ? "What the agent (or the lease reaper) reported." : "Validated against the kind's result schema."}
          />
          <div className="p-5">
            {job.status === "succeeded" ? (
              <JsonView value={job.result} label="Result" testId="job-result" />
            ) : job.error ? (
              <JsonView value={job.error} label="Error" testId="job-error" />
            ) : live ? (
              <p className="flex items-center gap-2 text-sm text-slate-500"><Spinner /> The result appears here when an agent completes the job.</p>
            ) : (
              <p className="text-sm text-slate-500">This job recorded no result.</p>
            )}
          </div>
        </Card>
      </div>

      <Card className="mt-6">
        <CardHeader title="Event trail" description="Everything that happened to this job, newest first." />
        <JobEventTrail events={events} agentNames={agentNames} />
      </Card>
    </>
  );
}
