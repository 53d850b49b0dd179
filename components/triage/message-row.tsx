"use client";

import { useState } from "react";
import { callApi } from "@/components/schedules/api-client";
import { Button, Spinner } from "@/components/ui/button";
import type { TriagedMessageDto } from "@/lib/triage/read-triage";
import { MessageJob } from "./message-job";
import { CategoryPill, Confidence, MessageStatusPill } from "./pills";
import { useTriage } from "./triage-context";
import { TimeAgo } from "./time-ago";
import { useCan } from "@/components/shell/permissions";

// One triaged message: who, what, when; the category with its confidence, the stage that decided
// and why (expandable); its status, the job it was handed to (a reply draft), and Undo while an
// action is in effect.

export function Sender({ from }: { from: TriagedMessageDto["from"] }) {
  const name = from.name?.trim();
  return (
    <span className="flex min-w-0 items-baseline gap-2">
      <span className="truncate font-medium text-slate-900">{name || from.address || "Unknown sender"}</span>
      {name && from.address ? <span className="truncate text-xs text-slate-500">{from.address}</span> : null}
    </span>
  );
}

export function Reasons({ reasons, open = false }: { reasons: string[]; open?: boolean }) {
  if (reasons.length === 0) return null;
  return (
    <details className="group mt-1.5 text-xs text-slate-600" open={open}>
      <summary data-testid="reasons-toggle" className="cursor-pointer list-none text-slate-500 hover:text-slate-800 [&::-webkit-details-marker]:hidden">
        <span className="mr-1 inline-block transition-transform group-open:rotate-90" aria-hidden="true">›</span>
        Why:
        {/* The first reason as a teaser while closed; open, the list says it all. */}
        <span className="group-open:hidden">
          {" "}
          <span className="text-slate-700">{reasons[0]}</span>
          {reasons.length > 1 ? <span className="text-slate-400"> +{reasons.length - 1} more</span> : null}
        </span>
      </summary>
      <ul className="mt-1 list-disc space-y-0.5 pl-8 marker:text-slate-300" data-testid="reasons">
        {reasons.map((r, i) => <li key={i}>{r}</li>)}
      </ul>
    </details>
  );
}

export function MessageRow({ message, onUndone }: { message: TriagedMessageDto; onUndone: (message: TriagedMessageDto, error: string | null) => void }) {
  const { canUndoIn } = useTriage();
  const mayRun = useCan("mail.own");
  const [busy, setBusy] = useState(false);
  const corrected = message.reviewedCategory !== null && message.reviewedCategory !== message.category;

  const undo = async () => {
    if (!message.activeActionId) return;
    setBusy(true);
    const result = await callApi(`/api/triage/actions/${message.activeActionId}/undo`, { method: "POST" });
    setBusy(false);
    onUndone(message, result.ok ? null : result.message);
  };

  return (
    <li className="flex flex-col gap-3 px-5 py-3.5 sm:flex-row sm:items-start sm:justify-between" data-testid="triaged-message" data-message-id={message.id} data-status={message.status}>
      <div className="min-w-0 flex-1">
        <div className="flex items-baseline justify-between gap-3">
          <Sender from={message.from} />
          <span className="shrink-0 text-xs text-slate-500 sm:hidden"><TimeAgo at={message.receivedAt} /></span>
        </div>
        <p className="truncate text-sm text-slate-800" data-testid="subject">{message.subject || <span className="text-slate-400">(no subject)</span>}</p>
        {message.snippet ? <p className="truncate text-xs text-slate-500">{message.snippet}</p> : null}
        <Reasons reasons={message.reasons} />
      </div>
      <div className="flex shrink-0 flex-col gap-1.5 sm:items-end">
        <div className="flex flex-wrap items-center gap-2 sm:justify-end">
          {corrected ? <CategoryPill category={message.category} strike /> : null}
          <CategoryPill category={message.effectiveCategory} />
          <MessageStatusPill status={message.status} />
        </div>
        <Confidence confidence={message.confidence} stage={message.stage} />
        {message.job ? <MessageJob job={message.job} /> : null}
        <div className="flex items-center gap-3 sm:justify-end">
          <span className="hidden text-xs text-slate-500 sm:inline"><TimeAgo at={message.receivedAt} /></span>
          {message.activeActionId && !canUndoIn(message.accountId) ? (
            <span className="text-xs text-slate-400" title="Connect the mailbox again to undo">mailbox disconnected</span>
          ) : message.activeActionId && mayRun ? (
            <Button variant="secondary" className="px-2.5 py-1 text-xs" onClick={undo} disabled={busy} title="Put the message's labels back as they were">
              {busy ? <Spinner className="h-3.5 w-3.5" /> : null}Undo
            </Button>
          ) : null}
        </div>
      </div>
    </li>
  );
}
