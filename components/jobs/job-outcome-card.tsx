"use client";

import Link from "next/link";
import { decideApproval } from "@/components/approvals/decide";
import { DecisionControls, RetryButton } from "@/components/approvals/decision-controls";
import { hubHref } from "@/components/context/hub-links";
import { Spinner } from "@/components/ui/button";
import { Card, CardHeader } from "@/components/ui/card";
import { StatusPill, type StatusTone } from "@/components/ui/status-pill";
import type { JobOutcome, RunSummary } from "@/lib/jobs/job-outcome";

// What the job's result became: the result run (going, done, failed with a Retry), and what it
// produced — a note or draft file in the context hub, or a Gmail draft with its approval, which
// can be approved (sent) or denied (the draft deleted, the undo of drafting it) right here.

const APPROVAL_TONES: Record<string, StatusTone> = { pending: "waiting", approved: "done", denied: "failed", withdrawn: "muted" };

const hasFailed = (run: RunSummary | null) => run?.status === "failed" || run?.status === "cancelled";

function RunLink({ run, label }: { run: RunSummary; label: string }) {
  return (
    <Link href={`/runs/${run.id}`} className="inline-flex min-w-0 max-w-full items-center gap-1.5 text-sm text-brand-700 hover:underline" data-testid="outcome-run">
      <span className="truncate">{label}</span>
      <code className="truncate font-mono text-xs text-slate-500">{run.pipeline} · {run.status}</code>
    </Link>
  );
}

function FailedRun({ run, what }: { run: RunSummary; what: string }) {
  return (
    <p className="rounded-lg bg-rose-50 px-3 py-2 text-sm break-words text-rose-800 ring-1 ring-inset ring-rose-200" data-testid="outcome-error">
      {what} {run.status}{run.error ? `: ${run.error.message}` : "."}
    </p>
  );
}

/** The Gmail draft: where it is, whom it answers, and its approval with the decision controls. */
function GmailDraft({ outcome, onChanged }: { outcome: JobOutcome; onChanged: () => Promise<void> }) {
  const { artifact, approval } = outcome;
  const decide = async (id: string, action: "approve" | "deny" | "retry", reason?: string) => {
    const error = await decideApproval(id, action, reason);
    await onChanged();
    return error;
  };
  return (
    <div className="space-y-3" data-testid="outcome-gmail-draft">
      <div className="flex flex-wrap items-center justify-between gap-2">
        <p className="text-sm font-semibold text-slate-900">{approval?.status === "pending" ? "Reply draft ready" : "Reply draft"}</p>
        {approval ? <StatusPill status={approval.status} tone={APPROVAL_TONES[approval.status] ?? "muted"} /> : null}
      </div>
      <dl className="grid grid-cols-[auto_minmax(0,1fr)] gap-x-4 gap-y-1 text-sm">
        {approval?.to ? (<><dt className="text-slate-500">To</dt><dd className="break-words text-slate-800" data-testid="outcome-recipient">{approval.to}</dd></>) : null}
        {approval?.subject ? (<><dt className="text-slate-500">Subject</dt><dd className="break-words text-slate-800">Re: {approval.subject}</dd></>) : null}
        <dt className="text-slate-500">Thread</dt>
        <dd className="truncate font-mono text-xs leading-5 text-slate-700" data-testid="outcome-thread">{artifact?.threadId}</dd>
        <dt className="text-slate-500">Draft</dt>
        <dd className="truncate font-mono text-xs leading-5 text-slate-700">{artifact?.draftId}</dd>
      </dl>
      {approval?.status === "pending" ? (
        <div className="border-t border-slate-100 pt-3">
          <p className="mb-3 text-xs text-slate-500">Approving sends this draft from Gmail, once. Deleting it is the undo: nothing is sent.</p>
          <DecisionControls approvalId={approval.id} approveLabel="Approve and send" denyLabel={{ open: "Delete draft…", confirm: "Delete draft" }} decide={decide} />
        </div>
      ) : null}
      {approval?.status === "denied" ? <p className="text-sm text-slate-600">Denied{approval.reason ? ` (${approval.reason})` : ""}: the draft was deleted from Gmail and nothing was sent.</p> : null}
      {approval?.status === "approved" && approval.run?.status === "succeeded" ? <p className="text-sm text-emerald-700">Approved and sent.</p> : null}
      {approval?.status === "approved" && approval.run && !hasFailed(approval.run) && approval.run.status !== "succeeded" ? (
        <p className="flex items-center gap-2 text-sm text-slate-600"><Spinner /> Sending…</p>
      ) : null}
      {approval?.status === "approved" && approval.run && hasFailed(approval.run) ? (
        <div className="space-y-3">
          <FailedRun run={approval.run} what="Sending" />
          <RetryButton label="Retry sending" testId="retry-send" onRetry={() => decide(approval.id, "retry")} />
        </div>
      ) : null}
      <div className="flex flex-wrap gap-x-4 gap-y-1 text-sm">
        {approval ? <Link href="/approvals" className="text-brand-700 hover:underline">Open Approvals</Link> : null}
        {approval?.run ? <RunLink run={approval.run} label="Send run" /> : null}
      </div>
    </div>
  );
}

export function JobOutcomeCard({ jobId, outcome, onChanged }: { jobId: string; outcome: JobOutcome; onChanged: () => Promise<void> }) {
  const { state, run, artifact, approval, handler } = outcome;

  const retryResult = async (): Promise<string | null> => {
    try {
      const res = await fetch(`/api/jobs/${jobId}/retry-result`, { method: "POST" });
      if (!res.ok) {
        const body = (await res.json().catch(() => null)) as { error?: { message?: string } } | null;
        return body?.error?.message ?? `The result run could not be retried (HTTP ${res.status})`;
      }
      return null;
    } catch {
      return "The server could not be reached; try again.";
    } finally {
      await onChanged();
    }
  };

  return (
    <Card className="xl:col-span-2">
      <CardHeader title="Outcome" description="What the job's result became: the run it started and what that run produced." />
      <div className="space-y-4 p-5" data-testid="job-outcome" data-state={state}>
        {state === "awaiting_result" ? (
          <p className="text-sm text-slate-500">
            {handler ? <>When an agent completes the job, <code className="font-mono text-xs">{handler}</code> turns its result into real work; it shows here.</> : "This kind keeps its result on the job."}
          </p>
        ) : null}
        {state === "no_handler" ? <p className="text-sm text-slate-500">This kind has no result handler: the result stays on the job.</p> : null}
        {state === "pending" ? (
          <p className="flex items-center gap-2 text-sm text-slate-600" aria-live="polite">
            <Spinner /> {run ? "The result is being saved; the page updates when it is done." : "The result handler is about to start."}
          </p>
        ) : null}
        {state === "failed" && run ? (
          <div className="space-y-3">
            <FailedRun run={run} what="The result run" />
            <p className="text-xs text-slate-500">Fix the cause (connect the mailbox again, say), then run it again: the handler never writes twice.</p>
            <RetryButton label="Retry result" testId="retry-result" onRetry={retryResult} />
          </div>
        ) : null}
        {state === "done" && artifact && (artifact.type === "hub-note" || artifact.type === "content-draft") && artifact.path ? (
          <div className="space-y-1" data-testid="outcome-hub-file">
            <p className="text-sm font-semibold text-slate-900">{artifact.type === "hub-note" ? "Note in the context hub" : "Draft in the content area"}</p>
            <Link href={hubHref(artifact.path)} className="block break-all font-mono text-sm text-brand-700 hover:underline">{artifact.path}</Link>
          </div>
        ) : null}
        {state === "done" && artifact?.type === "gmail-draft" ? <GmailDraft outcome={outcome} onChanged={onChanged} /> : null}
        {state === "done" && artifact?.type === "none" ? (
          <p className="text-sm text-slate-600">
            {artifact.label}
            {approval ? <> · <Link href="/approvals" className="text-brand-700 hover:underline">{approval.title} ({approval.status})</Link></> : null}
          </p>
        ) : null}
        {run ? <RunLink run={run} label="Result run" /> : null}
      </div>
    </Card>
  );
}
