"use client";

import { useState } from "react";
import { Field, inputClass } from "@/components/schedules/form-field";
import { callApi } from "@/components/schedules/api-client";
import { Button, Spinner, buttonClass } from "@/components/ui/button";
import { Card, CardHeader } from "@/components/ui/card";
import { StatusPill, type StatusTone } from "@/components/ui/status-pill";
import type { EmailAccountDto } from "@/lib/email/accounts";
import type { MailboxSummary } from "@/lib/triage/mailboxes";
import type { SyncRunDto } from "@/lib/triage/sync-runs";
import { SyncProgress } from "./sync-progress";
import { TimeAgo } from "./time-ago";
import { useTriage } from "./triage-context";
import { useCan } from "@/components/shell/permissions";

// The connected Gmail inboxes: status, last sync, the health of push notifications (a lapsed or
// failing watch is a warning here, not a surprise later), the latest sync with its progress, and
// Sync now / Backfill / Disconnect. Connecting is a plain navigation through Google's consent.

const CONNECT_URL = "/api/email/connect?returnTo=%2Ftriage";

const ACCOUNT_TONES: Record<EmailAccountDto["status"], StatusTone> = { connected: "done", error: "failed", disconnected: "muted" };

type Notice = { tone: "error" | "info"; text: string } | null;

function EnvelopeIcon({ className = "h-5 w-5" }: { className?: string }) {
  return (
    <svg viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth="1.8" strokeLinecap="round" strokeLinejoin="round" className={className} aria-hidden="true">
      <path d="M4.5 5h15A1.5 1.5 0 0 1 21 6.5v11a1.5 1.5 0 0 1-1.5 1.5h-15A1.5 1.5 0 0 1 3 17.5v-11A1.5 1.5 0 0 1 4.5 5zM3.5 6.5 12 13l8.5-6.5" />
    </svg>
  );
}

export function ConnectGmailLink({ primary = true, loginHint }: { primary?: boolean; loginHint?: string }) {
  const allowed = useCan("mail.own");
  const href = loginHint ? `${CONNECT_URL}&loginHint=${encodeURIComponent(loginHint)}` : CONNECT_URL;
  // A plain link: the connect endpoint answers with a redirect to Google's consent screen.
  if (!allowed) return null;
  return (
    <a href={href} className={buttonClass(primary ? "primary" : "secondary")} data-testid="connect-gmail">
      <EnvelopeIcon className="h-4 w-4" />
      {loginHint ? "Connect again" : "Connect Gmail"}
    </a>
  );
}

function GoogleSetupHelp({ redirectUri }: { redirectUri: string }) {
  return (
    <div className="rounded-lg border border-amber-200 bg-amber-50 px-4 py-3 text-sm text-amber-900" data-testid="google-not-configured">
      <p className="font-medium">Gmail cannot be connected yet: no Google OAuth client is configured.</p>
      <ol className="mt-2 list-decimal space-y-1 pl-5 text-amber-900/90">
        <li>In the Google Cloud console, enable the Gmail API and create an OAuth client of type “Web application”.</li>
        <li>
          Add <code className="rounded bg-white/70 px-1 font-mono text-xs">{redirectUri}</code> as an authorized redirect URI.
        </li>
        <li>
          Set <code className="rounded bg-white/70 px-1 font-mono text-xs">GOOGLE_CLIENT_ID</code> and{" "}
          <code className="rounded bg-white/70 px-1 font-mono text-xs">GOOGLE_CLIENT_SECRET</code> (see .env.example) and restart the app.
        </li>
      </ol>
    </div>
  );
}

function WatchLine({ mailbox }: { mailbox: MailboxSummary }) {
  const { watch } = mailbox;
  if (watch.state === "lapsed" || watch.state === "failing" || watch.state === "expiring") {
    return (
      <div role="alert" data-testid="watch-warning" data-state={watch.state} className="mt-3 flex gap-2 rounded-lg border border-amber-200 bg-amber-50 px-3 py-2 text-sm text-amber-900">
        <svg viewBox="0 0 24 24" className="mt-0.5 h-4 w-4 shrink-0 text-amber-600" fill="none" stroke="currentColor" strokeWidth="2" strokeLinecap="round" aria-hidden="true">
          <path d="M12 8v5M12 16.5v.5M10.3 3.9 2.4 17.5A2 2 0 0 0 4.1 20.5h15.8a2 2 0 0 0 1.7-3L13.7 3.9a2 2 0 0 0-3.4 0z" />
        </svg>
        <span>{watch.message}</span>
      </div>
    );
  }
  return (
    <p className="mt-1 text-xs text-slate-500" data-testid="watch-status" data-state={watch.state}>
      <span className={`mr-1.5 inline-block h-1.5 w-1.5 rounded-full align-middle ${watch.state === "ok" ? "bg-emerald-500" : "bg-slate-400"}`} aria-hidden="true" />
      {watch.message}
    </p>
  );
}

function BackfillForm({ accountId, defaults, onStarted, onCancel }: { accountId: string; defaults: { days: number; max: number }; onStarted: (run: SyncRunDto) => void; onCancel: () => void }) {
  const [days, setDays] = useState(String(defaults.days));
  const [max, setMax] = useState(String(defaults.max));
  const [busy, setBusy] = useState(false);
  const [errors, setErrors] = useState<{ form?: string; sinceDays?: string; maxMessages?: string }>({});

  const submit = async (event: React.FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setErrors({});
    const result = await callApi<{ run: SyncRunDto }>("/api/triage/runs", {
      method: "POST",
      body: { accountId, kind: "backfill", sinceDays: Number(days), maxMessages: Number(max) },
    });
    setBusy(false);
    if (result.ok) return onStarted(result.data.run);
    const field = (path: string) => result.issues.find((i) => i.path === path)?.message;
    setErrors({ form: result.issues.length ? undefined : result.message, sinceDays: field("sinceDays"), maxMessages: field("maxMessages") });
  };

  return (
    <form onSubmit={submit} className="mt-3 rounded-lg border border-slate-200 px-4 py-3" aria-label="Backfill" noValidate>
      <p className="text-sm text-slate-600">Triage recent inbox mail that came before the connection. Messages already triaged are skipped.</p>
      {errors.form ? <p role="alert" className="mt-2 text-sm text-rose-700">{errors.form}</p> : null}
      <div className="mt-2 flex flex-wrap items-start gap-3">
        <Field id={`${accountId}-days`} label="Days back" error={errors.sinceDays} className="w-32">
          <input id={`${accountId}-days`} type="number" min={1} max={365} value={days} onChange={(e) => setDays(e.target.value)} className={inputClass(Boolean(errors.sinceDays))} />
        </Field>
        <Field id={`${accountId}-max`} label="At most" hint="messages" error={errors.maxMessages} className="w-36">
          <input id={`${accountId}-max`} type="number" min={1} max={50000} value={max} onChange={(e) => setMax(e.target.value)} className={inputClass(Boolean(errors.maxMessages))} />
        </Field>
        <div className="flex gap-2 pt-6">
          <Button type="submit" disabled={busy}>{busy ? <Spinner /> : null}Start backfill</Button>
          <Button type="button" variant="ghost" onClick={onCancel} disabled={busy}>Cancel</Button>
        </div>
      </div>
    </form>
  );
}

function MailboxRow({ mailbox, backfillDefaults }: { mailbox: MailboxSummary; backfillDefaults: { days: number; max: number } }) {
  const { changed } = useTriage();
  // The panel lists only the viewer's own mailboxes: their owner syncs and disconnects them.
  const mayRun = useCan("mail.own");
  const mayManage = mayRun;
  const { account } = mailbox;
  const [run, setRun] = useState<SyncRunDto | null>(mailbox.latestRun);
  // The server's latest run wins when it is newer than the one shown (a push or a poll started it).
  if (mailbox.latestRun && (!run || mailbox.latestRun.id > run.id)) setRun(mailbox.latestRun);
  const [busy, setBusy] = useState<"sync" | "disconnect" | null>(null);
  const [mode, setMode] = useState<"idle" | "backfill" | "confirm-disconnect">("idle");
  const [notice, setNotice] = useState<Notice>(null);
  const disconnected = account.status === "disconnected";

  const syncNow = async () => {
    setBusy("sync");
    setNotice(null);
    const result = await callApi<{ run: SyncRunDto }>("/api/triage/runs", { method: "POST", body: { accountId: account.id, kind: "incremental" } });
    setBusy(null);
    if (!result.ok) return setNotice({ tone: "error", text: result.message });
    setRun(result.data.run);
  };

  const disconnect = async () => {
    setBusy("disconnect");
    setNotice(null);
    const result = await callApi(`/api/email/accounts/${account.id}`, { method: "DELETE" });
    setBusy(null);
    setMode("idle");
    if (!result.ok) return setNotice({ tone: "error", text: result.message });
    setNotice({ tone: "info", text: "Disconnected: Google's grant is revoked and the tokens are deleted. Triaged mail and the action log stay." });
    changed();
  };

  return (
    <li className="px-5 py-4" data-testid="mailbox" data-account-id={account.id} data-email={account.emailAddress}>
      <div className="flex flex-wrap items-start justify-between gap-3">
        <div className="flex min-w-0 items-start gap-3">
          <span className={`mt-0.5 flex h-9 w-9 shrink-0 items-center justify-center rounded-full ${disconnected ? "bg-slate-100 text-slate-400" : "bg-brand-50 text-brand-600"}`}>
            <EnvelopeIcon />
          </span>
          <div className="min-w-0">
            <div className="flex flex-wrap items-center gap-2">
              <span className="truncate font-medium text-slate-900">{account.emailAddress}</span>
              <StatusPill status={account.status} tone={ACCOUNT_TONES[account.status]} />
            </div>
            <p className="mt-0.5 text-xs text-slate-500">
              Last sync <TimeAgo at={account.lastSyncAt} fallback="never" /> · connected <TimeAgo at={account.createdAt} />
            </p>
            <WatchLine mailbox={mailbox} />
          </div>
        </div>
        <div className="flex flex-wrap items-center gap-2">
          {disconnected ? (
            <ConnectGmailLink primary={false} loginHint={account.emailAddress} />
          ) : mode === "confirm-disconnect" ? (
            <span className="inline-flex items-center gap-2 rounded-lg bg-rose-50 px-2 py-1 ring-1 ring-inset ring-rose-200">
              <span className="text-xs text-rose-800">Disconnect {account.emailAddress}? Triage stops for this inbox.</span>
              <Button variant="danger" className="px-2.5 py-1" onClick={disconnect} disabled={busy !== null}>
                {busy === "disconnect" ? <Spinner /> : null}Disconnect
              </Button>
              <Button variant="ghost" className="px-2.5 py-1" onClick={() => setMode("idle")} disabled={busy !== null}>Keep</Button>
            </span>
          ) : (
            <>
              {mayRun ? (
                <>
                  <Button variant="secondary" onClick={syncNow} disabled={busy !== null}>
                    {busy === "sync" ? <Spinner /> : null}Sync now
                  </Button>
                  <Button variant="secondary" onClick={() => setMode(mode === "backfill" ? "idle" : "backfill")} aria-expanded={mode === "backfill"}>Backfill…</Button>
                </>
              ) : null}
              {mayManage ? (
                <Button variant="ghost" className="text-rose-700 hover:bg-rose-50 hover:text-rose-800" onClick={() => setMode("confirm-disconnect")}>Disconnect</Button>
              ) : null}
            </>
          )}
        </div>
      </div>

      {account.status === "error" && account.lastError ? (
        <p role="alert" className="mt-3 rounded-lg border border-rose-200 bg-rose-50 px-3 py-2 text-sm text-rose-800">{account.lastError}</p>
      ) : null}
      {notice ? (
        <p role={notice.tone === "error" ? "alert" : "status"} className={`mt-3 text-sm ${notice.tone === "error" ? "text-rose-700" : "text-slate-600"}`}>{notice.text}</p>
      ) : null}
      {mode === "backfill" ? (
        <BackfillForm
          accountId={account.id}
          defaults={backfillDefaults}
          onCancel={() => setMode("idle")}
          onStarted={(started) => {
            setMode("idle");
            setRun(started);
          }}
        />
      ) : null}
      {run && !disconnected ? (
        <div className="mt-3">
          <SyncProgress key={run.id} initial={run} onFinished={changed} />
        </div>
      ) : null}
    </li>
  );
}

export function MailboxesPanel({
  mailboxes,
  googleConfigured,
  redirectUri,
  backfillDefaults,
}: {
  mailboxes: MailboxSummary[];
  googleConfigured: boolean;
  redirectUri: string;
  backfillDefaults: { days: number; max: number };
}) {
  const connectAction = googleConfigured && mailboxes.length > 0 ? <ConnectGmailLink primary={false} /> : undefined;
  return (
    <Card>
      <CardHeader title="Mailboxes" description="Your connected Gmail inboxes. New mail is triaged as it arrives; only you see it." action={connectAction} />
      {mailboxes.length === 0 ? (
        <div className="px-5 py-8 text-center" data-testid="no-mailboxes">
          <span className="mx-auto flex h-10 w-10 items-center justify-center rounded-full bg-brand-50 text-brand-600"><EnvelopeIcon /></span>
          <p className="mt-3 text-sm font-medium text-slate-700">You have no mailbox connected</p>
          <p className="mx-auto mt-1 max-w-md text-sm text-slate-500">
            Connect your Gmail here; its mail and triage are yours alone (nobody else, an admin or owner included, sees them). Its recent mail is backfilled and triaged, then new mail as it arrives. Only labels change
            (a label, archive, mark read); nothing is deleted or sent, and every change can be undone.
          </p>
          <div className="mx-auto mt-4 max-w-xl text-left">
            {googleConfigured ? <div className="text-center"><ConnectGmailLink /></div> : <GoogleSetupHelp redirectUri={redirectUri} />}
          </div>
        </div>
      ) : (
        <>
          {googleConfigured ? null : <div className="border-b border-slate-100 px-5 py-4"><GoogleSetupHelp redirectUri={redirectUri} /></div>}
          <ul className="divide-y divide-slate-100">
            {mailboxes.map((m) => (
              <MailboxRow key={m.account.id} mailbox={m} backfillDefaults={backfillDefaults} />
            ))}
          </ul>
        </>
      )}
    </Card>
  );
}
