import type { TriageCategory } from "@/lib/triage/categories";
import type { TriageActionDto, TriagedMessageDto } from "@/lib/triage/read-triage";
import type { SyncRunDto } from "@/lib/triage/sync-runs";
import type { Page } from "./triage-api";

// The dashboard's views, kept in the URL (?view=inbox|review|log, and ?category= for the inbox).
// Plain values, so the server page and the client views both read them.

export const TRIAGE_VIEWS = ["inbox", "review", "log"] as const;
export type TriageView = (typeof TRIAGE_VIEWS)[number];

/** The first page of the view the URL names, read by the server page. */
export type InitialViewData =
  | { view: "inbox"; category: TriageCategory | null; messages: Page<TriagedMessageDto> }
  | { view: "review"; messages: Page<TriagedMessageDto> }
  | { view: "log"; actions: Page<TriageActionDto>; runs: Page<SyncRunDto> };

export function viewPath(view: TriageView, category: TriageCategory | null): string {
  const params = new URLSearchParams();
  if (view !== "inbox") params.set("view", view);
  if (view === "inbox" && category) params.set("category", category);
  const search = params.toString();
  return search ? `/triage?${search}` : "/triage";
}
