"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { useCallback, useEffect, useRef, useState } from "react";
import { Button, Spinner } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/card";
import { formatDuration, formatRelative } from "@/components/ui/format";
import { usePolling } from "@/components/runs/use-polling";
import { callApi } from "@/components/schedules/api-client";
import { RUN_STARTED_EVENT, isSlotOpen, SlotKindLabel, SlotStatusBadge } from "@/components/schedules/slot-badges";
import type { SlotPage } from "@/lib/schedules/read-schedules";

// A schedule's history: every slot, on time, caught up or run by hand, with what happened to it
// and why. Refreshes every 2 s while a slot is pending or running, and every 10 s otherwise (new
// slots appear as the schedule fires).

const th = "px-4 py-2.5 font-medium first:pl-5 last:pr-5";
const td = "px-4 py-3 align-top first:pl-5 last:pr-5";

/** Changes when a slot appears or finishes. */
function settledKey(slots: SlotPage["slots"]): string {
  return slots.map((s) => `${s.id}:${isSlotOpen(s.status) ? "open" : "done"}`).join(",");
}

export function SlotHistory({ scheduleId, initial, enabled }: { scheduleId: string; initial: SlotPage; enabled: boolean }) {
  const router = useRouter();
  const [slots, setSlots] = useState(initial.slots);
  const settled = useRef(settledKey(initial.slots));
  const [highlight, setHighlight] = useState<string | null>(null);
  const [nextCursor, setNextCursor] = useState(initial.nextCursor);
  const [pagesLoaded, setPagesLoaded] = useState(1);
  const [loadingMore, setLoadingMore] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const open = slots.some((s) => isSlotOpen(s.status)) || Boolean(highlight && !slots.some((s) => s.id === highlight));

  const refresh = useCallback(async () => {
    const result = await callApi<SlotPage>(`/api/schedules/${scheduleId}/slots?limit=${Math.min(50 * pagesLoaded, 200)}`);
    if (!result.ok) {
      setError(result.message);
      return;
    }
    setError(null);
    setSlots(result.data.slots);
    setNextCursor(result.data.nextCursor);
    // A slot finished or a new one was claimed: the page's next run and last run have moved on too.
    const key = settledKey(result.data.slots);
    if (key !== settled.current) {
      settled.current = key;
      router.refresh();
    }
  }, [scheduleId, pagesLoaded, router]);

  usePolling(refresh, open || enabled, open ? 2_000 : 10_000);

  // "Run now" on this page: show its slot at once and follow it.
  useEffect(() => {
    const onStarted = (event: Event) => {
      setHighlight((event as CustomEvent<{ slotId: string }>).detail.slotId);
      void refresh();
    };
    window.addEventListener(RUN_STARTED_EVENT, onStarted);
    return () => window.removeEventListener(RUN_STARTED_EVENT, onStarted);
  }, [refresh]);

  const loadMore = async () => {
    if (!nextCursor) return;
    setLoadingMore(true);
    const result = await callApi<SlotPage>(`/api/schedules/${scheduleId}/slots?limit=50&cursor=${nextCursor}`);
    setLoadingMore(false);
    if (!result.ok) return setError(result.message);
    setSlots((s) => [...s, ...result.data.slots]);
    setNextCursor(result.data.nextCursor);
    setPagesLoaded((n) => n + 1);
  };

  if (slots.length === 0) {
    return (
      <EmptyState title="No slots yet">
        {enabled ? "The first one appears here when the schedule fires, or use Run now." : "This schedule is disabled; Run now still works."}
      </EmptyState>
    );
  }

  return (
    <div>
      {error ? <p role="alert" className="border-b border-rose-100 bg-rose-50 px-5 py-2 text-sm text-rose-800">{error}</p> : null}
      <div className="overflow-x-auto">
        <table className="w-full min-w-[820px] text-left text-sm" data-testid="slot-history">
          <thead className="border-b border-slate-100 bg-slate-50/60 text-xs uppercase tracking-wide text-slate-500">
            <tr>
              <th className={th}>Slot</th>
              <th className={th}>Kind</th>
              <th className={th}>Status</th>
              <th className={th}>Reason</th>
              <th className={th}>Run</th>
              <th className={`${th} text-right`}>Duration</th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {slots.map((slot) => (
              <tr key={slot.id} data-slot={slot.id} data-status={slot.status} className={slot.id === highlight ? "bg-brand-50/50" : "transition-colors hover:bg-slate-50"}>
                <td className={`${td} whitespace-nowrap`}>
                  <span className="text-slate-800">{slot.local}</span>
                  <p className="text-xs text-slate-500"><time dateTime={slot.slotAt} suppressHydrationWarning>{formatRelative(slot.slotAt)}</time></p>
                </td>
                <td className={td}><SlotKindLabel kind={slot.kind} /></td>
                <td className={td}><SlotStatusBadge status={slot.status} /></td>
                <td className={`${td} max-w-md text-xs text-slate-600`}>{slot.reason ?? <span className="text-slate-300">—</span>}</td>
                <td className={td}>
                  {slot.runId ? (
                    <Link href={`/runs/${slot.runId}`} title={slot.runId} className="font-mono text-xs font-medium text-brand-600 hover:text-brand-700 hover:underline">…{slot.runId.slice(-8)}</Link>
                  ) : (
                    <span className="text-slate-300">—</span>
                  )}
                </td>
                <td className={`${td} whitespace-nowrap text-right tabular-nums text-slate-600`}>
                  {slot.durationMs === null ? <span className="text-slate-400">{isSlotOpen(slot.status) ? "…" : "—"}</span> : formatDuration(slot.durationMs)}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {nextCursor ? (
        <div className="border-t border-slate-100 px-5 py-3 text-center">
          <Button variant="secondary" onClick={loadMore} disabled={loadingMore}>{loadingMore ? <Spinner /> : null}Older slots</Button>
        </div>
      ) : null}
    </div>
  );
}
