"use client";

import Link from "next/link";
import { useState } from "react";
import { Badge, type BadgeTone } from "@/components/ui/badge";
import { Button, Spinner } from "@/components/ui/button";
import type { ChatMessage, Notice, ToolLabels, TurnUsage } from "@/lib/chat/messages";

// How each part of a message looks: text, a card per tool call (arguments as soon as the model
// makes the call, then the result or the error, with the run it made), approvals, and notices.

type Part = ChatMessage["parts"][number];
type ToolPart = Extract<Part, { toolCallId: string }>;

function isToolPart(part: Part): part is ToolPart {
  return part.type.startsWith("tool-") || part.type === "dynamic-tool";
}

function toolNameOf(part: ToolPart): string {
  return part.type === "dynamic-tool" ? (part as { toolName: string }).toolName : part.type.slice("tool-".length);
}

const STATE_LABEL: Record<ToolPart["state"], { label: string; tone: BadgeTone }> = {
  "input-streaming": { label: "preparing", tone: "gray" },
  "input-available": { label: "running", tone: "blue" },
  "approval-requested": { label: "needs approval", tone: "amber" },
  "approval-responded": { label: "answered", tone: "gray" },
  "output-available": { label: "done", tone: "green" },
  "output-error": { label: "failed", tone: "red" },
  "output-denied": { label: "denied", tone: "gray" },
};

function Json({ value }: { value: unknown }) {
  return (
    <pre className="max-h-64 overflow-auto whitespace-pre-wrap break-words rounded-md bg-slate-50 p-2.5 font-mono text-xs text-slate-700">
      {JSON.stringify(value, null, 2)}
    </pre>
  );
}

function RunLink({ runId }: { runId: string | null }) {
  if (!runId) return null;
  return (
    <Link href={`/runs/${runId}`} className="font-mono text-xs text-brand-700 hover:underline">
      {runId}
    </Link>
  );
}

function runIdOf(part: ToolPart): string | null {
  if (part.state === "output-available") return ((part.output as { runId?: string } | undefined)?.runId as string) ?? null;
  if (part.state === "output-error") return /\(run (run_[a-z0-9]+)\)$/.exec(part.errorText ?? "")?.[1] ?? null;
  return null;
}

function ToolCard({
  part,
  labels,
  onApprove,
}: {
  part: ToolPart;
  labels: ToolLabels;
  onApprove?: (approvalId: string, approved: boolean) => void;
}) {
  const name = toolNameOf(part);
  const label = labels[name];
  const state = STATE_LABEL[part.state];
  const [open, setOpen] = useState(false);
  const running = part.state === "input-streaming" || part.state === "input-available";
  const output = part.state === "output-available" ? (part.output as { output?: unknown }).output : undefined;
  return (
    <div className="my-2 rounded-lg border border-slate-200 bg-white text-sm shadow-sm" data-testid="tool-card" data-state={part.state}>
      <button type="button" onClick={() => setOpen(!open)} className="flex w-full items-center justify-between gap-3 px-3 py-2 text-left">
        <span className="flex min-w-0 items-center gap-2">
          {running ? <Spinner className="h-3.5 w-3.5 text-brand-600" /> : <span className="text-slate-400">⚙</span>}
          <span className="truncate font-medium text-slate-800">{label?.title ?? name}</span>
          <span className="truncate font-mono text-xs text-slate-500">{label?.pipeline ?? name}</span>
        </span>
        <span className="flex items-center gap-2">
          <RunLink runId={runIdOf(part)} />
          <Badge tone={state.tone}>{state.label}</Badge>
        </span>
      </button>
      {part.state === "approval-requested" && onApprove ? (
        <div className="flex flex-wrap items-center justify-between gap-3 border-t border-amber-100 bg-amber-50 px-3 py-2">
          <p className="text-amber-900">This changes something outside the platform. Run it?</p>
          <span className="flex gap-2">
            <Button variant="secondary" onClick={() => onApprove(part.approval.id, false)}>Deny</Button>
            <Button onClick={() => onApprove(part.approval.id, true)}>Approve and run</Button>
          </span>
        </div>
      ) : null}
      {/* What is about to run is always shown while it waits for approval. */}
      {open || part.state === "approval-requested" ? (
        <div className="space-y-2 border-t border-slate-100 px-3 py-2">
          {part.input !== undefined ? (
            <div>
              <p className="mb-1 text-xs font-medium uppercase tracking-wide text-slate-500">Arguments</p>
              <Json value={part.input} />
            </div>
          ) : null}
          {part.state === "output-available" ? (
            <div>
              <p className="mb-1 text-xs font-medium uppercase tracking-wide text-slate-500">Result</p>
              <Json value={output} />
            </div>
          ) : null}
          {part.state === "output-denied" || (part.state === "approval-responded" && !part.approval.approved) ? (
            <p className="text-slate-600">Not run: {part.approval.reason ?? "you denied it."}</p>
          ) : null}
        </div>
      ) : null}
      {part.state === "output-error" ? (
        <p className="border-t border-rose-100 bg-rose-50 px-3 py-2 text-rose-800" role="alert">{part.errorText}</p>
      ) : null}
    </div>
  );
}

const NOTICE_TONE: Record<Notice["kind"], string> = {
  step_limit: "border-amber-200 bg-amber-50 text-amber-900",
  turn_budget: "border-amber-200 bg-amber-50 text-amber-900",
  daily_budget: "border-amber-200 bg-amber-50 text-amber-900",
  refused: "border-amber-200 bg-amber-50 text-amber-900",
  stopped: "border-slate-200 bg-slate-50 text-slate-600",
  error: "border-rose-200 bg-rose-50 text-rose-800",
};

function NoticeBox({ notice }: { notice: Notice }) {
  return (
    <p className={`my-2 rounded-lg border px-3 py-2 text-sm ${NOTICE_TONE[notice.kind]}`} data-testid="chat-notice" data-kind={notice.kind}>
      {notice.message}
    </p>
  );
}

export function UsageLine({ usage }: { usage: TurnUsage }) {
  const cost = usage.costUsd === 0 ? "$0" : usage.costUsd < 0.01 ? `$${usage.costUsd.toFixed(4)}` : `$${usage.costUsd.toFixed(2)}`;
  return (
    <p className="mt-1 text-xs text-slate-400" data-testid="usage">
      {usage.model} · {usage.steps} step{usage.steps === 1 ? "" : "s"} · {usage.inputTokens.toLocaleString("en")} in / {usage.outputTokens.toLocaleString("en")} out · {cost}
    </p>
  );
}

export function MessageView({
  message,
  labels,
  onApprove,
}: {
  message: ChatMessage;
  labels: ToolLabels;
  onApprove?: (approvalId: string, approved: boolean) => void;
}) {
  if (message.role === "user") {
    return (
      <div className="flex justify-end" data-testid="message-user">
        <div className="max-w-[80%] whitespace-pre-wrap rounded-2xl rounded-br-sm bg-brand-600 px-4 py-2.5 text-sm text-white">
          {message.parts.map((p, i) => (p.type === "text" ? <span key={i}>{p.text}</span> : null))}
        </div>
      </div>
    );
  }
  return (
    <div className="max-w-[90%]" data-testid="message-assistant">
      {message.parts.map((part, i) => {
        if (part.type === "text") {
          return (
            <div key={i} className="whitespace-pre-wrap text-sm leading-relaxed text-slate-800" data-testid="assistant-text">
              {part.text}
            </div>
          );
        }
        if (part.type === "data-notice") return <NoticeBox key={i} notice={part.data} />;
        if (isToolPart(part)) return <ToolCard key={part.toolCallId} part={part} labels={labels} onApprove={onApprove} />;
        return null;
      })}
      {message.metadata?.usage ? <UsageLine usage={message.metadata.usage} /> : null}
    </div>
  );
}

export function Thinking() {
  return (
    <p className="inline-flex items-center gap-2 text-sm text-slate-500" data-testid="thinking">
      <Spinner className="h-3.5 w-3.5" /> Thinking…
    </p>
  );
}
