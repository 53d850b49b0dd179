"use client";

import { useState } from "react";
import { callApi } from "@/components/schedules/api-client";
import { inputClass } from "@/components/schedules/form-field";
import { Badge } from "@/components/ui/badge";
import { Button, Spinner } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/card";
import { TRIAGE_CATEGORIES, type TriageCategory } from "@/lib/triage/categories";
import type { SenderRuleDto } from "@/lib/triage/rules";
import { CategoryPill } from "./pills";
import { TimeAgo } from "./time-ago";
import { useTriage } from "./triage-context";
import { useCan } from "@/components/shell/permissions";

// The owner's sender rules: stage 1 applies them before anything else, with full confidence. Made
// here by hand or from a correction in the review queue.

const th = "px-4 py-2 font-medium first:pl-5 last:pr-5";
const td = "px-4 py-2.5 first:pl-5 last:pr-5";
const selectClass = (invalid: boolean) => inputClass(invalid, "pr-8");

function DeleteRule({ rule, onDeleted }: { rule: SenderRuleDto; onDeleted: (id: string, error: string | null) => void }) {
  const allowed = useCan("settings.manage");
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const remove = async () => {
    setBusy(true);
    const result = await callApi(`/api/triage/rules/${rule.id}`, { method: "DELETE" });
    setBusy(false);
    setConfirming(false);
    onDeleted(rule.id, result.ok ? null : result.message);
  };
  if (!allowed) return null;
  return confirming ? (
    <span className="inline-flex items-center gap-2 rounded-lg bg-rose-50 px-2 py-1 ring-1 ring-inset ring-rose-200">
      <span className="text-xs text-rose-800">Delete this rule?</span>
      <Button variant="danger" className="px-2 py-0.5 text-xs" onClick={remove} disabled={busy}>{busy ? <Spinner className="h-3.5 w-3.5" /> : null}Delete</Button>
      <Button variant="ghost" className="px-2 py-0.5 text-xs" onClick={() => setConfirming(false)} disabled={busy}>Keep</Button>
    </span>
  ) : (
    <Button variant="ghost" className="px-2.5 py-1 text-xs text-rose-700 hover:bg-rose-50 hover:text-rose-800" onClick={() => setConfirming(true)} aria-label={`Delete the rule for ${rule.matchValue}`}>
      Delete
    </Button>
  );
}

function AddRuleForm({ existing, onAdded }: { existing: SenderRuleDto[]; onAdded: (rule: SenderRuleDto) => void }) {
  const allowed = useCan("settings.manage");
  const { titles } = useTriage();
  const [matchType, setMatchType] = useState<"address" | "domain">("address");
  const [matchValue, setMatchValue] = useState("");
  const [category, setCategory] = useState<TriageCategory>("action_needed");
  const [note, setNote] = useState("");
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const replaces = existing.find((r) => r.matchType === matchType && r.matchValue === matchValue.trim().toLowerCase());

  const submit = async (event: React.FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setErrors({});
    setFormError(null);
    const result = await callApi<{ rule: SenderRuleDto }>("/api/triage/rules", {
      method: "POST",
      body: { matchType, matchValue, category, ...(note.trim() ? { note } : {}) },
    });
    setBusy(false);
    if (!result.ok) {
      setErrors(Object.fromEntries(result.issues.map((i) => [i.path, i.message])));
      if (!result.issues.length) setFormError(result.message);
      return;
    }
    setMatchValue("");
    setNote("");
    onAdded(result.data.rule);
  };

  if (!allowed) return null;
  return (
    <form onSubmit={submit} className="border-t border-slate-100 bg-slate-50/60 px-5 py-4" aria-label="Add a sender rule" noValidate>
      <p className="text-sm font-medium text-slate-700">Add a rule</p>
      {formError ? <p role="alert" className="mt-1 text-sm text-rose-700">{formError}</p> : null}
      <div className="mt-2 grid gap-3 md:grid-cols-[9rem_1fr_11rem_1fr_auto] md:items-start">
        <div>
          <label htmlFor="rule-type" className="sr-only">Match</label>
          <select id="rule-type" value={matchType} onChange={(e) => setMatchType(e.target.value as "address" | "domain")} className={selectClass(false)}>
            <option value="address">Address</option>
            <option value="domain">Domain</option>
          </select>
        </div>
        <div>
          <label htmlFor="rule-value" className="sr-only">{matchType === "address" ? "Email address" : "Domain"}</label>
          <input
            id="rule-value"
            value={matchValue}
            onChange={(e) => setMatchValue(e.target.value)}
            placeholder={matchType === "address" ? "someone@example.com" : "example.com"}
            className={inputClass(Boolean(errors.matchValue))}
          />
          {errors.matchValue ? (
            <p className="mt-1 text-xs text-rose-700" data-testid="field-error">{matchType === "address" ? "Address" : "Domain"} {errors.matchValue}</p>
          ) : replaces ? (
            <p className="mt-1 text-xs text-amber-700">Replaces the existing rule for this sender.</p>
          ) : null}
        </div>
        <div>
          <label htmlFor="rule-category" className="sr-only">Category</label>
          <select id="rule-category" value={category} onChange={(e) => setCategory(e.target.value as TriageCategory)} className={selectClass(Boolean(errors.category))}>
            {TRIAGE_CATEGORIES.map((c) => <option key={c} value={c}>{titles[c]}</option>)}
          </select>
        </div>
        <div>
          <label htmlFor="rule-note" className="sr-only">Note</label>
          <input id="rule-note" value={note} onChange={(e) => setNote(e.target.value)} placeholder="Note (optional)" maxLength={200} className={inputClass(Boolean(errors.note))} />
          {errors.note ? <p className="mt-1 text-xs text-rose-700" data-testid="field-error">Note {errors.note}</p> : null}
        </div>
        <Button type="submit" disabled={busy} className="mt-1">{busy ? <Spinner /> : null}Add rule</Button>
      </div>
    </form>
  );
}

export function SenderRules({ initial }: { initial: SenderRuleDto[] }) {
  const [rules, setRules] = useState(initial);
  const [error, setError] = useState<string | null>(null);

  const onAdded = (rule: SenderRuleDto) =>
    setRules((list) => [...list.filter((r) => r.id !== rule.id), rule].sort((a, b) => a.matchValue.localeCompare(b.matchValue)));
  const onDeleted = (id: string, message: string | null) => {
    if (message) return setError(message);
    setError(null);
    setRules((list) => list.filter((r) => r.id !== id));
  };

  return (
    <div data-testid="sender-rules">
      {error ? <p role="alert" className="border-b border-rose-100 bg-rose-50 px-5 py-2.5 text-sm text-rose-800">{error}</p> : null}
      {rules.length === 0 ? (
        <EmptyState title="No sender rules yet">
          Add one below, or tick “make a rule” when you correct a message in the review queue.
        </EmptyState>
      ) : (
        <div className="overflow-x-auto">
          <table className="w-full min-w-[720px] text-left text-sm">
            <thead className="border-b border-slate-100 bg-slate-50/60 text-xs uppercase tracking-wide text-slate-500">
              <tr>
                <th className={th}>Sender</th>
                <th className={th}>Category</th>
                <th className={th}>Made</th>
                <th className={th}>Note</th>
                <th className={`${th} text-right`}><span className="sr-only">Delete</span></th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {rules.map((rule) => (
                <tr key={rule.id} data-rule-id={rule.id} data-match={rule.matchValue} className="hover:bg-slate-50">
                  <td className={td}>
                    <span className="flex items-center gap-2">
                      <Badge tone="gray">{rule.matchType === "address" ? "address" : "domain"}</Badge>
                      <code className="font-mono text-xs text-slate-800">{rule.matchType === "domain" ? `*@${rule.matchValue}` : rule.matchValue}</code>
                    </span>
                  </td>
                  <td className={td}><CategoryPill category={rule.category} /></td>
                  <td className={`${td} whitespace-nowrap text-slate-600`}>
                    {rule.origin === "correction" ? "from a correction" : "by hand"} · <TimeAgo at={rule.createdAt} />
                  </td>
                  <td className={`${td} max-w-[16rem] truncate text-slate-600`}>{rule.note ?? <span className="text-slate-400">—</span>}</td>
                  <td className={`${td} text-right`}><DeleteRule rule={rule} onDeleted={onDeleted} /></td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <AddRuleForm existing={rules} onAdded={onAdded} />
    </div>
  );
}
