"use client";

import { useCallback, useState } from "react";
import { Spinner } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/card";
import { ActionNoticeBanner, type ActionNotice } from "@/components/ui/detail";
import { ListErrorBanner, LiveStatus, PagedList } from "@/components/ui/live-status";
import { TRIAGE_CATEGORIES, type TriageCategory } from "@/lib/triage/categories";
import type { TriagedMessageDto } from "@/lib/triage/read-triage";
import { CATEGORY_STYLES } from "./labels";
import { MessageRow } from "./message-row";
import { fetchMessage, fetchMessages, type Page } from "./triage-api";
import { useTriage } from "./triage-context";
import { usePagedList } from "./use-paged-list";

// Triaged mail, newest first, filtered by category (the owner's after review, else triage's).

const PAGE_SIZE = 50;

export function InboxView({ category, onCategory, initial }: { category: TriageCategory | null; onCategory: (c: TriageCategory | null) => void; initial: Page<TriagedMessageDto> | null }) {
  const { titles, changed } = useTriage();
  const fetchPage = useCallback((limit: number, before?: string | null) => fetchMessages({ category }, limit, before), [category]);
  const list = usePagedList(fetchPage, initial, PAGE_SIZE);
  const [notice, setNotice] = useState<ActionNotice | null>(null);

  const onUndone = async (message: TriagedMessageDto, error: string | null) => {
    if (error) return setNotice({ tone: "error", text: error });
    setNotice({ tone: "info", text: `Undone: “${message.subject || "(no subject)"}” has its labels back as they were, and waits in the review queue.` });
    const fresh = await fetchMessage(message.id).catch(() => null);
    if (fresh) list.update((items) => items.map((m) => (m.id === fresh.id ? fresh : m)));
    changed();
  };

  const chip = (value: TriageCategory | null) => {
    const active = category === value;
    return (
      <button
        key={value ?? "all"}
        type="button"
        aria-pressed={active}
        data-testid={`category-filter-${value ?? "all"}`}
        onClick={() => onCategory(value)}
        className={`inline-flex items-center gap-1.5 rounded-full px-3 py-1 text-xs font-medium ring-1 ring-inset transition-colors ${
          active ? "bg-brand-600 text-white ring-brand-600" : "bg-white text-slate-600 ring-slate-200 hover:bg-slate-50 hover:text-slate-900"
        }`}
      >
        {value ? <span className={`h-1.5 w-1.5 rounded-full ${active ? "bg-white" : CATEGORY_STYLES[value].dot}`} aria-hidden="true" /> : null}
        {value ? titles[value] : "All categories"}
      </button>
    );
  };

  return (
    <div data-testid="inbox-view">
      <div className="flex flex-wrap items-center gap-2 border-b border-slate-100 px-5 py-3" role="group" aria-label="Filter by category">
        {chip(null)}
        {TRIAGE_CATEGORIES.map(chip)}
        <span className="ml-auto text-xs text-slate-500" aria-live="polite"><LiveStatus loading={list.load === "loading"} live={false} /></span>
      </div>
      {notice ? <div className="border-b border-slate-100 px-5 py-3 [&>p]:mb-0"><ActionNoticeBanner notice={notice} /></div> : null}
      {list.error ? <ListErrorBanner message={list.error} onRetry={() => void list.reload()} /> : null}
      {list.items.length === 0 ? (
        list.load === "loading" ? (
          <div className="flex items-center justify-center gap-2 px-5 py-16 text-sm text-slate-500"><Spinner /> Loading mail…</div>
        ) : category ? (
          <EmptyState title={`No ${titles[category].toLowerCase()} mail triaged`}>
            <button type="button" onClick={() => onCategory(null)} className="font-medium text-brand-600 hover:underline">Show every category</button>
          </EmptyState>
        ) : (
          <EmptyState title="No mail triaged yet">Connect a mailbox above; its recent mail is backfilled and shows up here with its category.</EmptyState>
        )
      ) : (
        <PagedList load={list.error ? "error" : list.load} count={list.items.length} noun="message" hasMore={list.hasMore} onLoadMore={() => void list.loadMore()}>
          <ul className="divide-y divide-slate-100">
            {list.items.map((m) => <MessageRow key={m.id} message={m} onUndone={onUndone} />)}
          </ul>
        </PagedList>
      )}
    </div>
  );
}
