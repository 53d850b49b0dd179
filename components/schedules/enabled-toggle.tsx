"use client";

import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { callApi } from "@/components/schedules/api-client";
import { useCan } from "@/components/shell/permissions";

// On/off for a schedule, saved at once. Turning it back on starts from now: the time it was off
// is not treated as missed slots. Render it with key={`${id}-${enabled}`} so a refreshed server
// value replaces the local one.

export function EnabledToggle({ id, name, enabled }: { id: string; name: string; enabled: boolean }) {
  const router = useRouter();
  const [value, setValue] = useState(enabled);
  const [error, setError] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();
  const mayManage = useCan("settings.manage");

  const toggle = () => {
    const next = !value;
    setValue(next);
    setError(null);
    startTransition(async () => {
      const result = await callApi(`/api/schedules/${id}`, { method: "PATCH", body: { enabled: next } });
      if (!result.ok) {
        setValue(!next);
        setError(result.message);
        return;
      }
      router.refresh();
    });
  };

  return (
    <span className="inline-flex items-center gap-2">
      <button
        type="button"
        role="switch"
        aria-checked={value}
        aria-label={`${name}: ${value ? "enabled" : "disabled"}`}
        disabled={pending || !mayManage}
        title={mayManage ? undefined : "Your role cannot change schedules"}
        onClick={toggle}
        className={`relative inline-flex h-5 w-9 shrink-0 items-center rounded-full transition-colors disabled:opacity-60 ${value ? "bg-brand-600" : "bg-slate-300"}`}
      >
        <span className={`inline-block h-4 w-4 rounded-full bg-white shadow transition-transform ${value ? "translate-x-4" : "translate-x-0.5"}`} />
      </button>
      {error ? <span role="alert" className="text-xs text-rose-700">{error}</span> : null}
    </span>
  );
}
