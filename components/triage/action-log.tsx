"use client";

import { useCallback, useState } from "react";
import { callApi } from "@/components/schedules/api-client";
import { Button, Spinner } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/card";
import { ActionNoticeBanner, type ActionNotice } from "@/components/ui/detail";
import { ListErrorBanner, PagedList } from "@/components/ui/live-status";
import { Badge, type BadgeTone } from "@/components/ui/badge";
import type { TriageActionDto } from "@/lib/triage/read-triage";
import type { SyncRunDto } from "@/lib/triage/sync-runs";
import { actorText } from "./labels";
import { LabelChange } from "./label-change";
import { CategoryPill } from "./pills";
import { SyncRunList } from "./sync-run-list";
import { TimeAgo } from "./time-ago";
import { fetchActions, type Page } from "./triage-api";
import { useTriage } from "./triage-context";
import { usePagedList } from "./use-paged-list";
import { useCan } from "@/components/shell/permissions";

// The action log: every label change triage or the owner made, with the labels before and after,
// who did it and when, and Undo for each one still in effect; above it, the recent syncs.

const PAGE_SIZE = 50;
const th = "px-4 py-2 font-medium first:pl-5 last:pr-5";
const td = "px-4 py-3 align-top first:pl-5 last:pr-5";

const KIND: Record<TriageActionDto["kind"], { text: string; tone: BadgeTone }> = {
  apply: { text: "applied", tone: "blue" },
  review: { text: "reviewed", tone: "green" },
  undo: { text: "undo", tone: "amber" },
};

function UndoButton({ action, onUndone }: { action: TriageActionDto; onUndone: (action: TriageActionDto, error: string | null) => void }) {
  const allowed = useCan("mail.own");
  const [busy, setBusy] = useState(false);
  const undo = async () => {
    setBusy(true);
    const result = await callApi(`/api/triage/actions/${action.id}/undo`, { method: "POST" });
    setBusy(false);
    onUndone(action, result.ok ? null : result.message);
  };
  if (!allowed) return null;
  return (
    <Button variant="secondary" className="px-2.5 py-1 text-xs" onClick={undo} disabled={busy}>
      {busy ? <Spinner className="h-3.5 w-3.5" /> : null}Undo
    </Button>
  );
}

export function ActionLog({
  initialActions,
  initialRuns,
  accountEmails,
  userId,
}: {
  initialActions: Page<TriageActionDto> | null;
  initialRuns: Page<SyncRunDto> | null;
  accountEmails: Record<string, string>;
  userId: string;
}) {
  const { changed, canUndoIn } = useTriage();
  const fetchPage = useCallback((limit: number, before?: string | null) => fetchActions(limit, before), []);
  const list = usePagedList(fetchPage, initialActions, PAGE_SIZE);
  const [notice, setNotice] = useState<ActionNotice | null>(null);

  const onUndone = (action: TriageActionDto, error: string | null) => {
    if (error) return setNotice({ tone: "error", text: error });
    setNotice({ tone: "info", text: `Undone: “${action.subject || "(no subject)"}” has its labels back as they were, and waits in the review queue.` });
    list.update((items) => items.map((a) => (a.id === action.id ? { ...a, undoneAt: new Date().toISOString() } : a)));
    changed();
  };

  return (
    <div data-testid="log-view">
      {notice ? <div className="border-b border-slate-100 px-5 py-3 [&>p]:mb-0"><ActionNoticeBanner notice={notice} /></div> : null}
      <SyncRunList initial={initialRuns} accountEmails={accountEmails} onNotice={(text, tone) => setNotice({ text, tone })} />

      <h3 className="border-t border-slate-200 px-5 pb-2 pt-5 text-xs font-semibold uppercase tracking-wide text-slate-500">Actions</h3>
      {list.error ? <ListErrorBanner message={list.error} onRetry={() => void list.reload()} /> : null}
      {list.items.length === 0 ? (
        list.load === "loading" ? (
          <div className="flex items-center justify-center gap-2 px-5 py-16 text-sm text-slate-500"><Spinner /> Loading the action log…</div>
        ) : (
          <EmptyState title="No actions yet">Every label triage adds or removes, and every undo, is logged here.</EmptyState>
        )
      ) : (
        <PagedList load={list.error ? "error" : list.load} count={list.items.length} noun="action" hasMore={list.hasMore} onLoadMore={() => void list.loadMore()}>
          <div className="overflow-x-auto">
            <table className="w-full min-w-[1000px] text-left text-sm" data-testid="actions-table">
              <thead className="border-y border-slate-100 bg-slate-50/60 text-xs uppercase tracking-wide text-slate-500">
                <tr>
                  <th className={th}>Message</th>
                  <th className={th}>Action</th>
                  <th className={th}>Labels before → after</th>
                  <th className={th}>By</th>
                  <th className={th}>When</th>
                  <th className={`${th} text-right`}>State</th>
                </tr>
              </thead>
              <tbody className="divide-y divide-slate-100">
                {list.items.map((action) => (
                  <tr key={action.id} data-action-id={action.id} data-kind={action.kind} className="hover:bg-slate-50">
                    <td className={`${td} max-w-[16rem]`}>
                      <span className="block truncate text-slate-800" title={action.subject ?? undefined}>{action.subject || <span className="text-slate-400">(no subject)</span>}</span>
                      <span className="block truncate text-xs text-slate-500">{action.fromAddress ?? "unknown sender"}</span>
                    </td>
                    <td className={td}>
                      <span className="flex flex-wrap items-center gap-1.5">
                        <Badge tone={KIND[action.kind].tone}>{KIND[action.kind].text}</Badge>
                        <CategoryPill category={action.category} />
                      </span>
                    </td>
                    <td className={`${td} min-w-[20rem]`}><LabelChange before={action.labelsBefore} after={action.labelsAfter} names={action.labelNames} /></td>
                    <td className={`${td} whitespace-nowrap text-slate-600`}>{actorText(action.actor, userId)}</td>
                    <td className={`${td} whitespace-nowrap text-slate-600`}><TimeAgo at={action.createdAt} /></td>
                    <td className={`${td} whitespace-nowrap text-right`} data-testid="action-state">
                      {action.kind === "undo" ? (
                        <span className="text-xs text-slate-400">—</span>
                      ) : action.undoneAt ? (
                        <span className="text-xs text-slate-500">undone <TimeAgo at={action.undoneAt} /></span>
                      ) : !canUndoIn(action.accountId) ? (
                        <span className="text-xs text-slate-400" title="Connect the mailbox again to undo">mailbox disconnected</span>
                      ) : (
                        <UndoButton action={action} onUndone={onUndone} />
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </PagedList>
      )}
    </div>
  );
}
