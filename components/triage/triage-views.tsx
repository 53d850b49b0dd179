"use client";

import { useState } from "react";
import { Card } from "@/components/ui/card";
import type { TriageCategory } from "@/lib/triage/categories";
import { ActionLog } from "./action-log";
import { InboxView } from "./inbox-view";
import { ReviewQueue } from "./review-queue";
import { viewPath, type InitialViewData, type TriageView } from "./views";

// The three views under the dashboard's tabs: the triaged inbox, the review queue and the action
// log. Switching keeps the URL current without a navigation.

export function TriageViews({
  initial,
  awaitingReview,
  accountEmails,
  userId,
}: {
  initial: InitialViewData;
  awaitingReview: number;
  accountEmails: Record<string, string>;
  userId: string;
}) {
  const initialCategory = initial.view === "inbox" ? initial.category : null;
  const [view, setView] = useState<TriageView>(initial.view);
  const [category, setCategory] = useState<TriageCategory | null>(initialCategory);
  // A navigation to another view (a link on the page) arrives as new props.
  const propsKey = `${initial.view}:${initialCategory ?? ""}`;
  const [seenKey, setSeenKey] = useState(propsKey);
  if (propsKey !== seenKey) {
    setSeenKey(propsKey);
    setView(initial.view);
    setCategory(initialCategory);
  }

  // The server's first page serves the view (and category) it was read for, until the user moves on.
  const [serverPageCurrent, setServerPageCurrent] = useState(true);
  const [seenInitial, setSeenInitial] = useState(initial);
  if (initial !== seenInitial) {
    setSeenInitial(initial);
    setServerPageCurrent(true);
  }
  const fromServer = serverPageCurrent && initial.view === view && (view !== "inbox" || initialCategory === category);

  const show = (next: TriageView, nextCategory: TriageCategory | null = null) => {
    window.history.replaceState(null, "", viewPath(next, nextCategory));
    setView(next);
    setCategory(nextCategory);
    setServerPageCurrent(false);
  };

  const tab = (id: TriageView, label: string, count?: number) => {
    const active = view === id;
    return (
      <button
        key={id}
        type="button"
        role="tab"
        aria-selected={active}
        data-testid={`triage-tab-${id}`}
        onClick={() => show(id)}
        className={`-mb-px inline-flex items-center gap-2 border-b-2 px-3 py-3 text-sm font-medium transition-colors ${
          active ? "border-brand-600 text-brand-700" : "border-transparent text-slate-500 hover:border-slate-300 hover:text-slate-800"
        }`}
      >
        {label}
        {count !== undefined ? (
          <span className={`rounded-full px-1.5 py-0.5 text-[11px] tabular-nums ${count > 0 ? "bg-amber-100 text-amber-800" : active ? "bg-brand-50 text-brand-700" : "bg-slate-100 text-slate-600"}`}>
            {count}
          </span>
        ) : null}
      </button>
    );
  };

  return (
    <Card className="mt-6">
      <div className="flex flex-wrap items-end justify-between gap-x-4 border-b border-slate-200 px-3">
        <div role="tablist" aria-label="Triage views" className="flex flex-wrap">
          {tab("inbox", "Inbox")}
          {tab("review", "Review queue", awaitingReview)}
          {tab("log", "Action log")}
        </div>
      </div>
      {view === "inbox" ? (
        <InboxView
          key={`inbox:${category ?? ""}`}
          category={category}
          onCategory={(c) => show("inbox", c)}
          initial={fromServer && initial.view === "inbox" ? initial.messages : null}
        />
      ) : view === "review" ? (
        <ReviewQueue key="review" initial={fromServer && initial.view === "review" ? initial.messages : null} />
      ) : (
        <ActionLog
          key="log"
          initialActions={fromServer && initial.view === "log" ? initial.actions : null}
          initialRuns={fromServer && initial.view === "log" ? initial.runs : null}
          accountEmails={accountEmails}
          userId={userId}
        />
      )}
    </Card>
  );
}
