"use client";

import { useRouter } from "next/navigation";
import { createContext, useCallback, useContext, useMemo, useState } from "react";
import type { TriageCategory } from "@/lib/triage/categories";

// What the triage pages' client parts share: the categories' display names (from the server, so
// they are written once) and "something changed" — a review, an undo, a finished sync — after which
// the server parts (stats, mailboxes) re-render and the open list re-reads itself quietly.

type TriageContextValue = {
  titles: Record<TriageCategory, string>;
  /** Mailboxes whose changes can be undone (connected, tokens held); others show why not. */
  canUndoIn: (accountId: string) => boolean;
  /** Bumped by changed(); lists re-read when it moves. */
  version: number;
  changed: () => void;
};

const TriageContext = createContext<TriageContextValue | null>(null);

const NONE: string[] = [];

export function TriageProvider({
  titles,
  connectedAccountIds = NONE,
  children,
}: {
  titles: Record<TriageCategory, string>;
  connectedAccountIds?: string[];
  children: React.ReactNode;
}) {
  const router = useRouter();
  const [version, setVersion] = useState(0);
  const changed = useCallback(() => {
    setVersion((v) => v + 1);
    router.refresh();
  }, [router]);
  const canUndoIn = useMemo(() => {
    const connected = new Set(connectedAccountIds);
    return (accountId: string) => connected.has(accountId);
  }, [connectedAccountIds]);
  const value = useMemo(() => ({ titles, canUndoIn, version, changed }), [titles, canUndoIn, version, changed]);
  return <TriageContext.Provider value={value}>{children}</TriageContext.Provider>;
}

export function useTriage(): TriageContextValue {
  const value = useContext(TriageContext);
  if (!value) throw new Error("useTriage() outside <TriageProvider>");
  return value;
}
