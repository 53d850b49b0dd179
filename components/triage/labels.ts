import type { TriageCategory } from "@/lib/triage/categories";

// How triage's values read on the page: category colours and blurbs, stages, statuses, confidence
// and Gmail's system label ids.

export const CATEGORY_STYLES: Record<TriageCategory, { pill: string; dot: string; bar: string }> = {
  action_needed: { pill: "bg-rose-50 text-rose-700 ring-rose-200", dot: "bg-rose-500", bar: "bg-rose-400" },
  finance: { pill: "bg-emerald-50 text-emerald-700 ring-emerald-200", dot: "bg-emerald-500", bar: "bg-emerald-400" },
  notifications: { pill: "bg-sky-50 text-sky-700 ring-sky-200", dot: "bg-sky-500", bar: "bg-sky-400" },
  newsletters: { pill: "bg-violet-50 text-violet-700 ring-violet-200", dot: "bg-violet-500", bar: "bg-violet-400" },
  other: { pill: "bg-slate-100 text-slate-700 ring-slate-200", dot: "bg-slate-400", bar: "bg-slate-300" },
};

export const CATEGORY_BLURBS: Record<TriageCategory, string> = {
  action_needed: "Mail that asks you to do something: replies, approvals, deadlines, invitations.",
  finance: "Invoices, receipts, statements and payouts.",
  notifications: "Automated mail about your own activity: code reviews, builds, alerts, sign-ins.",
  newsletters: "Newsletters, mailing lists and marketing.",
  other: "Everything else, such as personal mail.",
};

export const STAGE_LABELS = { rule: "your rule", heuristic: "heuristics", learned: "learned stage", model: "model" } as const;

export const MESSAGE_STATUS_LABELS = { applied: "applied", review: "needs review", reviewed: "reviewed", none: "no action" } as const;

/** Rounded, except that only a rule's full confidence reads 100%. */
export function formatConfidence(confidence: number): string {
  const percent = Math.round(confidence * 100);
  return `${percent === 100 && confidence < 1 ? 99 : percent}%`;
}

export function formatShare(share: number): string {
  if (share > 0 && share < 0.01) return "<1%";
  return `${Math.round(share * 100)}%`;
}

const SYSTEM_LABELS: Record<string, string> = {
  INBOX: "Inbox",
  UNREAD: "Unread",
  STARRED: "Starred",
  IMPORTANT: "Important",
  SPAM: "Spam",
  TRASH: "Trash",
  SENT: "Sent",
  DRAFT: "Draft",
  CHAT: "Chat",
  CATEGORY_PERSONAL: "Personal tab",
  CATEGORY_SOCIAL: "Social tab",
  CATEGORY_PROMOTIONS: "Promotions tab",
  CATEGORY_UPDATES: "Updates tab",
  CATEGORY_FORUMS: "Forums tab",
};

/** Gmail's system labels as words; a user label's id stays as it is (its name would cost a Gmail call). */
/** A label as words: Gmail's system labels by name, user labels by the name triage remembered, else the id. */
export function labelText(id: string, names: Record<string, string> = {}): { text: string; system: boolean; known: boolean } {
  const system = SYSTEM_LABELS[id];
  if (system) return { text: system, system: true, known: true };
  const name = names[id];
  return name ? { text: name, system: false, known: true } : { text: id, system: false, known: false };
}

/** "triage" for automatic actions, "you" for the signed-in person, else who it was. */
export function actorText(actor: string, userId: string): string {
  if (actor === "triage") return "Triage";
  if (actor === `user:${userId}`) return "You";
  return actor.startsWith("user:") ? "Another user" : actor;
}
