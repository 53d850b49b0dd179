"use client";

import { useCallback, useState } from "react";
import { callApi } from "@/components/schedules/api-client";
import { Button, Spinner } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/card";
import { ListErrorBanner, PagedList } from "@/components/ui/live-status";
import type { SyncRunDto } from "@/lib/triage/sync-runs";
import { RunStatusPill, isOpenRun, runKindText } from "./sync-progress";
import { TimeAgo } from "./time-ago";
import { fetchRuns, type Page } from "./triage-api";
import { useTriage } from "./triage-context";
import { usePagedList } from "./use-paged-list";
import { useCan } from "@/components/shell/permissions";

// Recent sync runs with what each did, and "Undo this run": every automatic action of the run
// still in effect is reversed in one go (after a confirmation).

const PAGE_SIZE = 10;
const th = "px-4 py-2 font-medium first:pl-5 last:pr-5";
const td = "px-4 py-2.5 first:pl-5 last:pr-5";

function UndoRun({ run, onUndone }: { run: SyncRunDto; onUndone: (run: SyncRunDto, undone: number | null, error?: string) => void }) {
  const allowed = useCan("mail.own");
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const { canUndoIn } = useTriage();
  if (run.undoneAt) return <span className="text-xs text-slate-500">undone <TimeAgo at={run.undoneAt} /></span>;
  if (isOpenRun(run) || run.autoApplied === 0) return <span className="text-xs text-slate-400">—</span>;
  if (!canUndoIn(run.accountId)) return <span className="text-xs text-slate-400" title="Connect the mailbox again to undo">mailbox disconnected</span>;

  const undo = async () => {
    setBusy(true);
    const result = await callApi<{ undone: number; run: SyncRunDto }>(`/api/triage/runs/${run.id}/undo`, { method: "POST" });
    setBusy(false);
    setConfirming(false);
    if (!result.ok) return onUndone(run, null, result.message);
    onUndone(result.data.run, result.data.undone);
  };

  if (!allowed) return null;
  return confirming ? (
    <span className="inline-flex items-center gap-2 rounded-lg bg-rose-50 px-2 py-1 ring-1 ring-inset ring-rose-200">
      <span className="text-xs text-rose-800">Undo what this run applied?</span>
      <Button variant="danger" className="px-2 py-0.5 text-xs" onClick={undo} disabled={busy}>{busy ? <Spinner className="h-3.5 w-3.5" /> : null}Undo run</Button>
      <Button variant="ghost" className="px-2 py-0.5 text-xs" onClick={() => setConfirming(false)} disabled={busy}>Keep</Button>
    </span>
  ) : (
    <Button variant="secondary" className="px-2.5 py-1 text-xs" onClick={() => setConfirming(true)}>Undo this run</Button>
  );
}

export function SyncRunList({ initial, accountEmails, onNotice }: { initial: Page<SyncRunDto> | null; accountEmails: Record<string, string>; onNotice: (text: string, tone: "info" | "error") => void }) {
  const { changed } = useTriage();
  const fetchPage = useCallback((limit: number, before?: string | null) => fetchRuns(limit, before), []);
  const list = usePagedList(fetchPage, initial, PAGE_SIZE);
  const showMailbox = new Set(Object.keys(accountEmails)).size > 1;

  const onUndone = (run: SyncRunDto, undone: number | null, error?: string) => {
    if (undone === null) return onNotice(error ?? "The run could not be undone.", "error");
    list.update((items) => items.map((r) => (r.id === run.id ? run : r)));
    onNotice(
      undone === 0 ? "Nothing left to undo: this run's actions were already undone one by one." : `Undone: ${undone} action${undone === 1 ? "" : "s"} of this run reversed in Gmail; the messages wait in the review queue.`,
      "info",
    );
    changed();
  };

  return (
    <section aria-label="Recent syncs" data-testid="sync-runs">
      <h3 className="px-5 pb-2 pt-4 text-xs font-semibold uppercase tracking-wide text-slate-500">Recent syncs</h3>
      {list.error ? <ListErrorBanner message={list.error} onRetry={() => void list.reload()} /> : null}
      {list.items.length === 0 ? (
        list.load === "loading" ? (
          <div className="flex items-center justify-center gap-2 px-5 py-8 text-sm text-slate-500"><Spinner /> Loading syncs…</div>
        ) : (
          <EmptyState title="No syncs yet" />
        )
      ) : (
        <PagedList load={list.error ? "error" : list.load} count={list.items.length} noun="sync" hasMore={list.hasMore} onLoadMore={() => void list.loadMore()}>
          <div className="overflow-x-auto">
            <table className="w-full min-w-[760px] text-left text-sm">
              <thead className="border-y border-slate-100 bg-slate-50/60 text-xs uppercase tracking-wide text-slate-500">
                <tr>
                  <th className={th}>Sync</th>
                  <th className={th}>Status</th>
                  <th className={`${th} text-right`}>Messages</th>
                  <th className={`${th} text-right`}>Applied</th>
                  <th className={`${th} text-right`}>To review</th>
                  <th className={th}>When</th>
                  <th className={`${th} text-right`}><span className="sr-only">Undo</span></th>
                </tr>
              </thead>
              <tbody className="divide-y divide-slate-100">
                {list.items.map((run) => (
                  <tr key={run.id} data-run-id={run.id} className="hover:bg-slate-50">
                    <td className={td}>
                      <span className="block text-slate-800">{runKindText(run)}</span>
                      {showMailbox ? <span className="text-xs text-slate-500">{accountEmails[run.accountId] ?? run.accountId}</span> : null}
                    </td>
                    <td className={td}><RunStatusPill run={run} /></td>
                    <td className={`${td} text-right tabular-nums text-slate-600`}>{run.processed}<span className="text-slate-400">/{run.total}</span></td>
                    <td className={`${td} text-right tabular-nums text-slate-600`}>{run.autoApplied}</td>
                    <td className={`${td} text-right tabular-nums text-slate-600`}>{run.queuedForReview}</td>
                    <td className={`${td} whitespace-nowrap text-slate-600`}><TimeAgo at={run.createdAt} /></td>
                    <td className={`${td} text-right`}><UndoRun run={run} onUndone={onUndone} /></td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </PagedList>
      )}
    </section>
  );
}
