"use client";

import { useCallback, useState } from "react";
import { callApi } from "@/components/schedules/api-client";
import { Button, Spinner } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/card";
import { ActionNoticeBanner, type ActionNotice } from "@/components/ui/detail";
import { ListErrorBanner, PagedList } from "@/components/ui/live-status";
import { TRIAGE_CATEGORIES, type TriageCategory } from "@/lib/triage/categories";
import type { TriagedMessageDto } from "@/lib/triage/read-triage";
import type { ReviewResult } from "@/lib/triage/review";
import { CATEGORY_STYLES, STAGE_LABELS, formatConfidence } from "./labels";
import { Reasons, Sender } from "./message-row";
import { CategoryPill } from "./pills";
import { TimeAgo } from "./time-ago";
import { fetchMessages, type Page } from "./triage-api";
import { useTriage } from "./triage-context";
import { usePagedList } from "./use-paged-list";
import { useCan } from "@/components/shell/permissions";

// The review queue: mail triage was not sure enough about to act on. Confirm the suggestion or
// pick another category, optionally as a sender rule for the address or the whole domain; the
// chosen category's actions are then applied in Gmail.

const PAGE_SIZE = 25;

type RuleChoice = "none" | "address" | "domain";

const domainOf = (address: string | null) => (address?.includes("@") ? address.slice(address.lastIndexOf("@") + 1) : null);

function ReviewItem({ message, onDone }: { message: TriagedMessageDto; onDone: (message: TriagedMessageDto, result: ReviewResult, rule: RuleChoice) => void }) {
  const { titles } = useTriage();
  const mayRun = useCan("mail.own");
  const suggested = message.effectiveCategory;
  const [choice, setChoice] = useState<TriageCategory>(suggested);
  const [rule, setRule] = useState<RuleChoice>("none");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const address = message.from.address?.includes("@") ? message.from.address : null;
  const domain = domainOf(address);

  const submit = async () => {
    setBusy(true);
    setError(null);
    const result = await callApi<{ review: ReviewResult }>(`/api/triage/messages/${message.id}/review`, {
      method: "POST",
      body: { category: choice, createRule: rule === "none" ? null : rule },
    });
    setBusy(false);
    if (!result.ok) return setError(result.message);
    onDone(message, result.data.review, rule);
  };

  const name = `rule-${message.id}`;
  return (
    <li className="px-5 py-4" data-testid="review-item" data-message-id={message.id}>
      <div className="flex items-baseline justify-between gap-3">
        <Sender from={message.from} />
        <span className="shrink-0 text-xs text-slate-500"><TimeAgo at={message.receivedAt} /></span>
      </div>
      <p className="truncate text-sm text-slate-800" data-testid="subject">{message.subject || <span className="text-slate-400">(no subject)</span>}</p>
      {message.snippet ? <p className="truncate text-xs text-slate-500">{message.snippet}</p> : null}

      <div className="mt-3 rounded-lg bg-slate-50 px-3 py-2.5 ring-1 ring-inset ring-slate-200">
        <p className="flex flex-wrap items-center gap-2 text-sm text-slate-700">
          Triage suggests <CategoryPill category={suggested} />
          <span className="text-xs text-slate-500" data-testid="suggestion-confidence">
            {formatConfidence(message.confidence)} sure, by {STAGE_LABELS[message.stage]}
          </span>
        </p>
        <Reasons reasons={message.reasons} open />
      </div>

      <div className="mt-3 flex flex-wrap items-center gap-1.5" role="radiogroup" aria-label="Category">
        {TRIAGE_CATEGORIES.map((c) => {
          const active = choice === c;
          return (
            <button
              key={c}
              type="button"
              role="radio"
              aria-checked={active}
              data-category={c}
              onClick={() => setChoice(c)}
              className={`inline-flex items-center gap-1.5 rounded-lg px-2.5 py-1.5 text-xs font-medium ring-1 ring-inset transition-colors ${
                active ? `${CATEGORY_STYLES[c].pill} ring-2` : "bg-white text-slate-600 ring-slate-200 hover:bg-slate-50"
              }`}
            >
              <span className={`h-1.5 w-1.5 rounded-full ${CATEGORY_STYLES[c].dot}`} aria-hidden="true" />
              {titles[c]}
              {c === suggested ? <span className="text-[10px] font-normal uppercase tracking-wide text-slate-400">suggested</span> : null}
            </button>
          );
        })}
      </div>

      <div className="mt-3 flex flex-wrap items-center gap-x-5 gap-y-2">
        <Button onClick={submit} disabled={busy || !mayRun} data-testid="review-submit" title="Applies the category's label, archive and mark-read settings in Gmail; the action log can undo it">
          {busy ? <Spinner /> : null}
          {choice === suggested ? `Confirm ${titles[choice]}` : `Move to ${titles[choice]}`}
        </Button>
        <fieldset className="flex flex-wrap items-center gap-x-4 gap-y-1.5 text-sm text-slate-600">
          <legend className="sr-only">Sender rule</legend>
          <label className="inline-flex items-center gap-1.5">
            <input type="radio" name={name} checked={rule === "none"} onChange={() => setRule("none")} className="accent-brand-600" />
            just this message
          </label>
          <label className={`inline-flex items-center gap-1.5 ${address ? "" : "opacity-50"}`}>
            <input type="radio" name={name} value="address" checked={rule === "address"} disabled={!address} onChange={() => setRule("address")} className="accent-brand-600" />
            and a rule for <span className="font-mono text-xs text-slate-800">{address ?? "this sender"}</span>
          </label>
          <label className={`inline-flex items-center gap-1.5 ${domain ? "" : "opacity-50"}`}>
            <input type="radio" name={name} value="domain" checked={rule === "domain"} disabled={!domain} onChange={() => setRule("domain")} className="accent-brand-600" />
            and a rule for anyone at <span className="font-mono text-xs text-slate-800">{domain ?? "this domain"}</span>
          </label>
        </fieldset>
      </div>
      {error ? <p role="alert" className="mt-2 text-sm text-rose-700">{error}</p> : null}
    </li>
  );
}

export function ReviewQueue({ initial }: { initial: Page<TriagedMessageDto> | null }) {
  const { titles, changed } = useTriage();
  const fetchPage = useCallback((limit: number, before?: string | null) => fetchMessages({ status: "review" }, limit, before), []);
  const list = usePagedList(fetchPage, initial, PAGE_SIZE);
  const [notice, setNotice] = useState<ActionNotice | null>(null);

  const onDone = (message: TriagedMessageDto, result: ReviewResult, rule: RuleChoice) => {
    const title = titles[result.category as TriageCategory] ?? result.category;
    const ruleText =
      rule === "address" ? ` Mail from ${message.from.address} now goes to ${title} by your rule.` : rule === "domain" ? ` Mail from anyone at ${domainOf(message.from.address)} now goes to ${title} by your rule.` : "";
    setNotice({ tone: "info", text: `${result.corrected ? "Moved" : "Confirmed"}: “${message.subject || "(no subject)"}” is filed as ${title}.${ruleText}` });
    list.update((items) => items.filter((m) => m.id !== message.id));
    changed();
  };

  return (
    <div data-testid="review-view">
      {notice ? <div className="border-b border-slate-100 px-5 py-3 [&>p]:mb-0"><ActionNoticeBanner notice={notice} /></div> : null}
      {list.error ? <ListErrorBanner message={list.error} onRetry={() => void list.reload()} /> : null}
      {list.items.length === 0 ? (
        list.load === "loading" ? (
          <div className="flex items-center justify-center gap-2 px-5 py-16 text-sm text-slate-500"><Spinner /> Loading the review queue…</div>
        ) : (
          <EmptyState title="Nothing to review">Mail triage is not sure about waits here, untouched in Gmail, until you decide.</EmptyState>
        )
      ) : (
        <PagedList load={list.error ? "error" : list.load} count={list.items.length} noun="message" hasMore={list.hasMore} onLoadMore={() => void list.loadMore()}>
          <ul className="divide-y divide-slate-100">
            {list.items.map((m) => <ReviewItem key={m.id} message={m} onDone={onDone} />)}
          </ul>
        </PagedList>
      )}
    </div>
  );
}
