"use client";

import { StatusPill, type StatusTone } from "@/components/ui/status-pill";
import type { TriageCategory } from "@/lib/triage/categories";
import type { TriagedMessageDto } from "@/lib/triage/read-triage";
import { CATEGORY_STYLES, MESSAGE_STATUS_LABELS, STAGE_LABELS, formatConfidence } from "./labels";
import { useTriage } from "./triage-context";

export function CategoryPill({ category, strike = false }: { category: TriageCategory; strike?: boolean }) {
  const { titles } = useTriage();
  return (
    <span
      data-category={category}
      className={`inline-flex items-center gap-1.5 whitespace-nowrap rounded-full px-2 py-0.5 text-xs font-medium ring-1 ring-inset ${CATEGORY_STYLES[category].pill} ${strike ? "line-through opacity-70" : ""}`}
    >
      <span className={`h-1.5 w-1.5 rounded-full ${CATEGORY_STYLES[category].dot}`} aria-hidden="true" />
      {titles[category]}
    </span>
  );
}

/** Confidence as a percent with a small meter, and the stage that decided. */
export function Confidence({ confidence, stage }: { confidence: number; stage: TriagedMessageDto["stage"] }) {
  const tone = confidence >= 0.9 ? "bg-emerald-500" : confidence >= 0.7 ? "bg-amber-500" : "bg-rose-400";
  return (
    <span className="inline-flex items-center gap-1.5 whitespace-nowrap text-xs text-slate-600" title={`Confidence ${confidence}, decided by ${STAGE_LABELS[stage]}`}>
      <span className="h-1.5 w-10 overflow-hidden rounded-full bg-slate-200" aria-hidden="true">
        <span className={`block h-full rounded-full ${tone}`} style={{ width: `${Math.round(confidence * 100)}%` }} />
      </span>
      <span className="tabular-nums font-medium text-slate-700" data-testid="confidence">{formatConfidence(confidence)}</span>
      <span className="text-slate-400">·</span>
      <span>{STAGE_LABELS[stage]}</span>
    </span>
  );
}

const STATUS_TONES: Record<TriagedMessageDto["status"], StatusTone> = { applied: "done", review: "waiting", reviewed: "working", none: "muted" };

export function MessageStatusPill({ status }: { status: TriagedMessageDto["status"] }) {
  return <StatusPill status={MESSAGE_STATUS_LABELS[status]} tone={STATUS_TONES[status]} />;
}
