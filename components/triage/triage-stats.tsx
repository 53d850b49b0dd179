import Link from "next/link";
import { Card, CardHeader, StatCard } from "@/components/ui/card";
import { TRIAGE_CATEGORIES, type TriageCategory } from "@/lib/triage/categories";
import type { TriageStatsDto } from "@/lib/triage/read-triage";
import { CATEGORY_STYLES, formatShare } from "./labels";

// The dashboard's figures: how much was triaged, how much stage 1 decided without the model, what
// was applied automatically and what waits for the owner; and the split by category.

export function TriageStatCards({ stats }: { stats: TriageStatsDto }) {
  return (
    <div className="grid gap-4 sm:grid-cols-3 xl:grid-cols-6" data-testid="triage-stats">
      <StatCard label="Triaged" value={stats.total} hint={`${stats.byStage.rule} by your rules`} />
      <StatCard label="Stage 1" value={stats.total ? formatShare(stats.stageOneShare) : "—"} hint="decided without the model" />
      <StatCard label="Model calls" value={stats.modelCalls} hint="for ambiguous mail only" />
      <StatCard label="Auto-applied" value={stats.autoApplied} hint={`${stats.reviewed} reviewed by you`} tone={stats.autoApplied ? "good" : "default"} />
      <StatCard
        label="To review"
        value={stats.awaitingReview}
        tone={stats.awaitingReview ? "warn" : "default"}
        hint={stats.awaitingReview ? <Link href="/triage?view=review" className="text-brand-600 hover:underline">open the queue</Link> : "nothing waiting"}
      />
      <StatCard label="Corrections" value={stats.corrections} hint={`${stats.undone} action${stats.undone === 1 ? "" : "s"} undone`} />
    </div>
  );
}

export function CategoryBreakdown({ stats, titles }: { stats: TriageStatsDto; titles: Record<TriageCategory, string> }) {
  const max = Math.max(1, ...TRIAGE_CATEGORIES.map((c) => stats.byCategory[c]));
  return (
    <Card>
      <CardHeader title="By category" description="As triage decided them." />
      <ul className="space-y-3 px-5 py-4" data-testid="category-breakdown">
        {TRIAGE_CATEGORIES.map((category) => {
          const count = stats.byCategory[category];
          return (
            <li key={category}>
              <Link href={`/triage?view=inbox&category=${category}`} className="group block" data-category={category}>
                <div className="flex items-center justify-between text-sm">
                  <span className="flex items-center gap-2 text-slate-700 group-hover:text-brand-700">
                    <span className={`h-2 w-2 rounded-full ${CATEGORY_STYLES[category].dot}`} aria-hidden="true" />
                    {titles[category]}
                  </span>
                  <span className="tabular-nums text-slate-600">
                    {count}
                    {stats.total ? <span className="ml-1.5 text-xs text-slate-400">{formatShare(count / stats.total)}</span> : null}
                  </span>
                </div>
                <div className="mt-1 h-1.5 overflow-hidden rounded-full bg-slate-100">
                  <div className={`h-full rounded-full ${CATEGORY_STYLES[category].bar}`} style={{ width: `${(count / max) * 100}%` }} />
                </div>
              </Link>
            </li>
          );
        })}
      </ul>
    </Card>
  );
}
