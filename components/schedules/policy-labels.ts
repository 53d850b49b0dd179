import type { CatchUpPolicyName, OverlapPolicyName } from "@/lib/schedules/policies";

// The policies in words, for the form and the detail page.

export const CATCH_UP_LABELS: Record<CatchUpPolicyName, { title: string; help: string }> = {
  skip: { title: "Skip missed slots", help: "Slots missed while the app was down are recorded as skipped." },
  once: { title: "Run once", help: "One late run stands for all the missed slots." },
  all: { title: "Run each missed slot", help: "Each missed slot runs late, oldest first, up to the limit." },
};

export const OVERLAP_LABELS: Record<OverlapPolicyName, { title: string; help: string }> = {
  skip: { title: "Skip", help: "If the previous run is still going, this slot is skipped." },
  queue: { title: "Queue", help: "If the previous run is still going, this slot waits for it." },
};

export function describeCatchUp(policy: CatchUpPolicyName, limit: number): string {
  return policy === "all" ? `${CATCH_UP_LABELS.all.title} (up to ${limit})` : CATCH_UP_LABELS[policy].title;
}
