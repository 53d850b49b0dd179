import type { CategorySetting } from "./settings";

// What a category's setting changes on one message: pure, so the sync, the review queue and the
// tests agree on it. Only labels move: a label is added, INBOX removed (archive), UNREAD removed
// (mark read). Changes already in place are left out, so the log records what actually changed.

export type LabelPlan = { add: string[]; remove: string[] };

export function planLabels(setting: CategorySetting, labelIdsNow: readonly string[], labelIdByName: ReadonlyMap<string, string>): LabelPlan {
  const has = new Set(labelIdsNow);
  const add: string[] = [];
  const remove: string[] = [];
  if (setting.labelName) {
    const id = labelIdByName.get(setting.labelName.toLowerCase());
    if (!id) throw new Error(`The label "${setting.labelName}" was not prepared before planning`);
    if (!has.has(id)) add.push(id);
  }
  if (setting.archive && has.has("INBOX")) remove.push("INBOX");
  if (setting.markRead && has.has("UNREAD")) remove.push("UNREAD");
  return { add, remove };
}

export function isEmptyPlan(plan: LabelPlan): boolean {
  return plan.add.length === 0 && plan.remove.length === 0;
}

/** The labels after a plan (or an undo) is applied to `labels`, in a stable order. */
export function applyPlan(labels: readonly string[], plan: LabelPlan): string[] {
  const result = labels.filter((l) => !plan.remove.includes(l));
  for (const l of plan.add) if (!result.includes(l)) result.push(l);
  return result;
}

/** The change that reverses `plan`. */
export function invertPlan(plan: LabelPlan): LabelPlan {
  return { add: [...plan.remove], remove: [...plan.add] };
}

/** A key grouping messages that get the very same change (one batchModify call each). */
export function planKey(plan: LabelPlan): string {
  return `+${[...plan.add].sort().join(",")}|-${[...plan.remove].sort().join(",")}`;
}
