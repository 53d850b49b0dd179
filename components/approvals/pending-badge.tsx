"use client";

import { useCallback, useEffect, useState } from "react";

// The count of pending approvals next to "Approvals" in the navigation: from the server at first,
// then refreshed every 30 s and whenever the Approvals page decides something.

export const APPROVALS_CHANGED = "pa:approvals-changed";
const REFRESH_MS = 30_000;

export function PendingBadge({ initial }: { initial: number }) {
  const [count, setCount] = useState(initial);
  const refresh = useCallback(async () => {
    const res = await fetch("/api/approvals/count").catch(() => null);
    if (res?.ok) setCount(((await res.json()) as { pending: number }).pending);
  }, []);
  useEffect(() => {
    const timer = setInterval(() => void refresh(), REFRESH_MS);
    const onChange = () => void refresh();
    window.addEventListener(APPROVALS_CHANGED, onChange);
    return () => {
      clearInterval(timer);
      window.removeEventListener(APPROVALS_CHANGED, onChange);
    };
  }, [refresh]);
  if (count <= 0) return null;
  return (
    <span data-testid="approvals-badge" aria-label={`${count} pending`} className="ml-auto rounded-full bg-amber-400 px-2 py-0.5 text-xs font-semibold tabular-nums text-slate-900">
      {count}
    </span>
  );
}
