"use client";

import { useEffect, useRef } from "react";

const hidden = () => document.visibilityState === "hidden";

export const POLL_MS = 2_000;

/**
 * Calls `tick` every `intervalMs` while `active`, and not while the tab is hidden (it ticks once
 * on coming back). Ticks never overlap: the next one is scheduled after the previous settles.
 */
export function usePolling(tick: () => Promise<unknown>, active: boolean, intervalMs = POLL_MS): void {
  const tickRef = useRef(tick);
  useEffect(() => {
    tickRef.current = tick;
  }, [tick]);

  useEffect(() => {
    if (!active) return;
    let timer: ReturnType<typeof setTimeout> | null = null;
    let stopped = false;
    let inFlight = false;

    const schedule = (delay: number) => {
      if (timer) clearTimeout(timer);
      timer = setTimeout(run, delay);
    };
    const run = async () => {
      timer = null;
      if (stopped || inFlight || hidden()) return;
      inFlight = true;
      try {
        await tickRef.current();
      } catch {
        // The next tick tries again.
      } finally {
        inFlight = false;
        if (!stopped && !hidden()) schedule(intervalMs);
      }
    };
    const onVisibility = () => {
      if (!hidden()) schedule(0);
      else if (timer) {
        clearTimeout(timer);
        timer = null;
      }
    };

    schedule(intervalMs);
    document.addEventListener("visibilitychange", onVisibility);
    return () => {
      stopped = true;
      if (timer) clearTimeout(timer);
      document.removeEventListener("visibilitychange", onVisibility);
    };
  }, [active, intervalMs]);
}
