import type { Metadata } from "next";
import Link from "next/link";
import { buttonClass } from "@/components/ui/button";
import { PageHeader } from "@/components/ui/card";
import { ConnectNotice } from "@/components/triage/connect-notice";
import { MailboxesPanel } from "@/components/triage/mailboxes-panel";
import { ReplyDraftsPanel } from "@/components/triage/reply-drafts-panel";
import { TriageProvider } from "@/components/triage/triage-context";
import { CategoryBreakdown, TriageStatCards } from "@/components/triage/triage-stats";
import { TriageViews } from "@/components/triage/triage-views";
import { TRIAGE_VIEWS, type InitialViewData, type TriageView } from "@/components/triage/views";
import { listOwnReplyDrafts } from "@/lib/approvals/own-reply-drafts";
import { requirePagePermission } from "@/lib/auth/page-session";
import { can } from "@/lib/auth/permissions";
import { getConfig } from "@/lib/config";
import { gmailRedirectUri } from "@/lib/email/connect-flow";
import type { MailboxScope } from "@/lib/email/mailbox-access";
import { listActionsPage, listMessagesPage, listRunsPage } from "@/lib/triage/api";
import { triageCategorySchema, type TriageCategory } from "@/lib/triage/categories";
import { listMailboxes } from "@/lib/triage/mailboxes";
import { triageStats } from "@/lib/triage/read-triage";
import { CATEGORY_LABELS } from "@/lib/triage/settings";

export const metadata: Metadata = { title: "Email triage" };
export const dynamic = "force-dynamic";

type Search = Record<string, string | string[] | undefined>;

const first = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value) || null;

async function readView(scope: MailboxScope, view: TriageView, category: TriageCategory | null): Promise<InitialViewData> {
  const page = <T,>(items: T[], nextCursor: string | null) => ({ items, nextCursor });
  if (view === "review") {
    const { messages, nextCursor } = await listMessagesPage(scope, { status: "review", limit: 25 });
    return { view, messages: page(messages, nextCursor) };
  }
  if (view === "log") {
    const [actions, runs] = await Promise.all([listActionsPage(scope, { limit: 50 }), listRunsPage(scope, { limit: 10 })]);
    return { view, actions: page(actions.actions, actions.nextCursor), runs: page(runs.runs, runs.nextCursor) };
  }
  const { messages, nextCursor } = await listMessagesPage(scope, { category: category ?? undefined, limit: 50 });
  return { view, category, messages: page(messages, nextCursor) };
}

export default async function TriagePage({ searchParams }: { searchParams: Promise<Search> }) {
  const user = await requirePagePermission("mail.own");
  const params = await searchParams;
  const view = TRIAGE_VIEWS.find((v) => v === first(params.view)) ?? "inbox";
  const category = triageCategorySchema.safeParse(first(params.category)).data ?? null;
  const config = getConfig();
  const [mailboxes, stats, initial, drafts] = await Promise.all([
    listMailboxes(user),
    triageStats(user),
    readView(user, view, category),
    listOwnReplyDrafts(user),
  ]);
  const connected = first(params.connected);
  const accountEmails = Object.fromEntries(mailboxes.map((m) => [m.account.id, m.account.emailAddress]));

  return (
    <TriageProvider titles={CATEGORY_LABELS} connectedAccountIds={mailboxes.filter((m) => m.account.status !== "disconnected").map((m) => m.account.id)}>
      <PageHeader
        title="Email triage"
        description="Your Gmail sorted into categories. Triage acts on its own only above a category's threshold, and every change can be undone."
        actions={can(user.role, "activity.view") ? <Link href="/triage/settings" className={buttonClass("secondary")}>Settings</Link> : undefined}
      />
      <ConnectNotice connected={Boolean(connected)} connectedEmail={connected ? (accountEmails[connected] ?? null) : null} error={first(params.connectError)} />
      <TriageStatCards stats={stats} />
      <ReplyDraftsPanel drafts={drafts} />
      <div className="mt-6 grid items-start gap-6 xl:grid-cols-3">
        <div className="xl:col-span-2">
          <MailboxesPanel
            mailboxes={mailboxes}
            googleConfigured={config.googleSignIn}
            redirectUri={gmailRedirectUri()}
            backfillDefaults={{ days: config.TRIAGE_BACKFILL_DAYS, max: config.TRIAGE_BACKFILL_MAX }}
          />
        </div>
        <CategoryBreakdown stats={stats} titles={CATEGORY_LABELS} />
      </div>
      <TriageViews initial={initial} awaitingReview={stats.awaitingReview} accountEmails={accountEmails} userId={user.id} />
    </TriageProvider>
  );
}
