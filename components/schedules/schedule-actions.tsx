"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { Button, Spinner, buttonClass } from "@/components/ui/button";
import { callApi } from "@/components/schedules/api-client";
import { RUN_STARTED_EVENT } from "@/components/schedules/slot-badges";
import type { SlotDto } from "@/lib/schedules/schedule-dto";
import { useCan } from "@/components/shell/permissions";

// The detail page's buttons: run now, edit, enable or disable, delete (after a confirmation).

export function ScheduleActions({ id, name, enabled }: { id: string; name: string; enabled: boolean }) {
  const mayRun = useCan("work.run");
  const mayManage = useCan("settings.manage");
  const router = useRouter();
  const [busy, setBusy] = useState<"run" | "toggle" | "delete" | null>(null);
  const [message, setMessage] = useState<{ tone: "ok" | "error"; text: string } | null>(null);
  const [confirming, setConfirming] = useState(false);
  const [, startTransition] = useTransition();

  const act = (kind: NonNullable<typeof busy>, fn: () => Promise<void>) => {
    setBusy(kind);
    setMessage(null);
    startTransition(async () => {
      try {
        await fn();
      } finally {
        setBusy(null);
      }
    });
  };

  const runNow = () =>
    act("run", async () => {
      const result = await callApi<{ slot: SlotDto }>(`/api/schedules/${id}/run`, { method: "POST" });
      if (!result.ok) return setMessage({ tone: "error", text: result.message });
      setMessage({ tone: "ok", text: "Started: it appears at the top of the history below." });
      window.dispatchEvent(new CustomEvent(RUN_STARTED_EVENT, { detail: { slotId: result.data.slot.id } }));
    });

  const toggle = () =>
    act("toggle", async () => {
      const result = await callApi(`/api/schedules/${id}`, { method: "PATCH", body: { enabled: !enabled } });
      if (!result.ok) return setMessage({ tone: "error", text: result.message });
      router.refresh();
    });

  const remove = () =>
    act("delete", async () => {
      const result = await callApi(`/api/schedules/${id}`, { method: "DELETE" });
      if (!result.ok) return setMessage({ tone: "error", text: result.message });
      router.push("/schedules");
      router.refresh();
    });

  return (
    <div className="flex flex-col items-end gap-2">
      <div className="flex flex-wrap items-center justify-end gap-2">
        {mayRun ? <Button onClick={runNow} disabled={busy !== null}>
          {busy === "run" ? <Spinner /> : <svg viewBox="0 0 24 24" className="h-4 w-4" fill="currentColor" aria-hidden="true"><path d="M8 5.5v13a1 1 0 0 0 1.5.9l10.3-6.5a1 1 0 0 0 0-1.8L9.5 4.6A1 1 0 0 0 8 5.5z" /></svg>}
          Run now
        </Button> : null}
        {mayManage ? <>
        <Link href={`/schedules/${id}/edit`} className={buttonClass("secondary")}>Edit</Link>
        <Button variant="secondary" onClick={toggle} disabled={busy !== null}>
          {busy === "toggle" ? <Spinner /> : null}
          {enabled ? "Disable" : "Enable"}
        </Button>
        {confirming ? (
          <span className="inline-flex items-center gap-2 rounded-lg bg-rose-50 px-2 py-1 ring-1 ring-inset ring-rose-200">
            <span className="text-xs text-rose-800">Delete {name} and its history?</span>
            <Button variant="danger" className="px-2.5 py-1" onClick={remove} disabled={busy !== null}>{busy === "delete" ? <Spinner /> : null}Delete</Button>
            <Button variant="ghost" className="px-2.5 py-1" onClick={() => setConfirming(false)} disabled={busy !== null}>Keep</Button>
          </span>
        ) : (
          <Button variant="ghost" className="text-rose-700 hover:bg-rose-50 hover:text-rose-800" onClick={() => setConfirming(true)}>Delete</Button>
        )}
        </> : null}
      </div>
      {message ? (
        <p role={message.tone === "error" ? "alert" : "status"} className={`text-sm ${message.tone === "error" ? "text-rose-700" : "text-emerald-700"}`}>{message.text}</p>
      ) : null}
    </div>
  );
}
