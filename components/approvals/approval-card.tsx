"use client";

import Link from "next/link";
import { StatusPill, type StatusTone } from "@/components/ui/status-pill";
import type { ApprovalDetail } from "@/lib/approvals/read-approvals";
import type { Decide } from "./decide";
import { DecisionControls, RetryButton } from "./decision-controls";

// One item waiting on the owner (or decided): what it is, what approving does, and the decision.
// Deny needs a reason; for a reply draft it also deletes the draft from Gmail. An approved call
// whose run failed can be run again.

const TONE: Record<string, StatusTone> = { pending: "waiting", approved: "done", denied: "failed", withdrawn: "muted" };

const KIND_LABEL: Record<string, string> = { reply_draft: "Reply draft", pipeline_call: "Agent request", job_result: "Flagged result" };

const APPROVE_HINT: Record<string, string> = {
  reply_draft: "Approving sends this draft from Gmail, once. Denying deletes the draft; nothing is sent.",
  pipeline_call: "Approving runs the pipeline with this input, as the agent, on the record. Denying tells the agent why.",
  job_result: "Approving acknowledges the result; nothing else runs.",
};

const OWN_DRAFT_HINT = "Approving sends this draft from Gmail, once. Deleting it removes the draft from Gmail; nothing is sent.";

function replyOf(detail: ApprovalDetail): string | null {
  const result = detail.job?.result as { reply?: unknown } | null;
  return typeof result?.reply === "string" ? result.reply : null;
}

function runErrorOf(error: unknown): string | null {
  const message = (error as { message?: unknown } | null)?.message;
  return typeof message === "string" ? message : null;
}

/** `own`: a reply draft of the viewer's own mailbox, shown on the Triage page, which they may decide whatever their role. */
export function ApprovalCard({ detail, decide, own = false }: { detail: ApprovalDetail; decide: Decide; own?: boolean }) {
  const { approval } = detail;
  const reply = replyOf(detail);

  return (
    <li className="rounded-xl border border-slate-200 bg-white p-4 shadow-sm sm:p-5" data-approval={approval.id}>
      <div className="flex flex-wrap items-start justify-between gap-3">
        <div className="min-w-0">
          <p className="text-xs font-medium uppercase tracking-wide text-slate-500">{KIND_LABEL[approval.kind] ?? approval.kind}</p>
          <h3 className="mt-0.5 break-words text-sm font-semibold text-slate-900">{approval.title}</h3>
          {approval.summary ? <p className="mt-1 text-sm text-slate-600">{approval.summary}</p> : null}
        </div>
        <StatusPill status={approval.status} tone={TONE[approval.status] ?? "muted"} />
      </div>

      {detail.message ? (
        <p className="mt-3 text-sm text-slate-600">
          In reply to <span className="font-medium text-slate-800">{detail.message.subject || "(no subject)"}</span>
          {detail.message.fromAddress ? ` from ${detail.message.fromAddress}` : ""}
        </p>
      ) : null}
      {reply ? <pre className="mt-3 max-h-64 overflow-auto whitespace-pre-wrap rounded-lg bg-slate-50 p-3 font-sans text-sm text-slate-800 ring-1 ring-inset ring-slate-200">{reply}</pre> : null}
      {approval.kind === "pipeline_call" ? (
        <div className="mt-3 text-sm">
          <p className="text-slate-600">
            Runs <code className="rounded bg-slate-100 px-1">{approval.pipeline}</code> with:
          </p>
          <pre className="mt-1 max-h-48 overflow-auto rounded-lg bg-slate-50 p-3 text-xs text-slate-800 ring-1 ring-inset ring-slate-200">{JSON.stringify(approval.input, null, 2)}</pre>
        </div>
      ) : null}

      <div className="mt-3 flex flex-wrap gap-x-4 gap-y-1 text-xs text-slate-500">
        {approval.jobId && !own ? <Link className="text-brand-700 hover:underline" href={`/jobs/${approval.jobId}`}>Job {approval.jobId}</Link> : null}
        {detail.run && !own ? <Link className="text-brand-700 hover:underline" href={`/runs/${detail.run.id}`}>Run {detail.run.pipeline}: {detail.run.status}</Link> : null}
        <span>Asked {new Date(approval.createdAt).toLocaleString()}</span>
        {approval.decidedAt ? <span>{approval.status} by {approval.decidedBy} {new Date(approval.decidedAt).toLocaleString()}</span> : null}
      </div>
      {approval.reason ? <p className="mt-2 text-sm text-slate-700">Reason: {approval.reason}</p> : null}

      {approval.status === "pending" ? (
        <div className="mt-4 border-t border-slate-100 pt-4">
          <p className="mb-3 text-xs text-slate-500">{own ? OWN_DRAFT_HINT : APPROVE_HINT[approval.kind]}</p>
          <DecisionControls
            approvalId={approval.id}
            approveLabel={approval.kind === "reply_draft" ? "Approve and send" : "Approve"}
            denyLabel={own ? { open: "Delete draft…", confirm: "Delete draft" } : { open: "Deny…", confirm: "Deny" }}
            decide={decide}
            mayDecide={own}
          />
        </div>
      ) : null}
      {approval.status === "approved" && detail.run && (detail.run.status === "failed" || detail.run.status === "cancelled") ? (
        <div className="mt-4 border-t border-slate-100 pt-4">
          <p className="mb-3 text-sm text-rose-700">
            The run {detail.run.status}{runErrorOf(detail.run.error) ? `: ${runErrorOf(detail.run.error)}` : "."} Fix the cause, then run it again (once, however often you click).
          </p>
          <RetryButton label={approval.kind === "reply_draft" ? "Retry sending" : "Retry the run"} onRetry={() => decide(approval.id, "retry")} mayRetry={own} />
        </div>
      ) : null}
    </li>
  );
}
