import Link from "next/link";
import { Card, CardHeader, EmptyState } from "@/components/ui/card";
import { formatDateTime, formatRelative } from "@/components/ui/format";
import type { ChangeAuthor, HubChange } from "@/lib/context-hub/recent-changes";
import { hubHref } from "./hub-links";

// Who changed the hub: each change is a run of context.write or notes.capture, linked to it.

const AUTHOR_STYLE: Record<ChangeAuthor, string> = {
  user: "bg-slate-100 text-slate-700",
  agent: "bg-violet-50 text-violet-700",
  assistant: "bg-sky-50 text-sky-700",
  pipeline: "bg-amber-50 text-amber-700",
};

const KIND_LABEL: Record<HubChange["kind"], string> = { created: "created", edited: "edited", captured: "captured" };

export function RecentChangesCard({ changes, title = "Recent changes", showPath = true }: { changes: HubChange[]; title?: string; showPath?: boolean }) {
  return (
    <Card>
      <CardHeader title={title} description="Every change is a recorded run, with who made it." />
      {changes.length === 0 ? (
        <EmptyState title="No changes recorded yet">Edits from here, notes captured by assistants and agents&apos; writes show up here.</EmptyState>
      ) : (
        <ul className="divide-y divide-slate-100" data-testid="recent-changes">
          {changes.map((change) => (
            <li key={change.runId} className="px-5 py-3 text-sm" data-run-id={change.runId}>
              <div className="flex flex-wrap items-center gap-x-2 gap-y-1">
                <span className={`rounded-full px-2 py-0.5 text-xs font-medium ${AUTHOR_STYLE[change.author]}`}>{change.author}</span>
                <span className="min-w-0 break-words text-slate-700">{change.actorLabel}</span>
                <span className="text-slate-400">{KIND_LABEL[change.kind]}</span>
              </div>
              <div className="mt-1 flex flex-wrap items-baseline justify-between gap-x-3 gap-y-1">
                {showPath ? (
                  <Link href={hubHref(change.path)} className="min-w-0 break-all font-mono text-xs text-brand-700 hover:underline">{change.path}</Link>
                ) : (
                  <span />
                )}
                <span className="flex items-baseline gap-2 text-xs text-slate-500">
                  <time dateTime={change.at} title={formatDateTime(change.at)}>{formatRelative(change.at)}</time>
                  <Link href={`/runs/${change.runId}`} className="font-medium text-brand-600 hover:underline">run</Link>
                </span>
              </div>
            </li>
          ))}
        </ul>
      )}
    </Card>
  );
}
