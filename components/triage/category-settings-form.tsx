"use client";

import { useState } from "react";
import { callApi } from "@/components/schedules/api-client";
import { inputClass } from "@/components/schedules/form-field";
import { Button, Spinner } from "@/components/ui/button";
import type { CategorySetting } from "@/lib/triage/settings";
import { expectedAtThreshold } from "@/lib/triage/threshold-curves";
import { CATEGORY_BLURBS, CATEGORY_STYLES } from "./labels";
import { useTriage } from "./triage-context";
import { useCan } from "@/components/shell/permissions";

// One category's setting: its Gmail label (or none), archive, mark read, and the confidence from
// which triage acts without asking. Saved on its own; the server's field errors show by the field.

type Draft = { labelName: string; noLabel: boolean; archive: boolean; markRead: boolean; threshold: string; replyJob: boolean };

const toDraft = (s: CategorySetting): Draft => ({ labelName: s.labelName ?? "", noLabel: s.labelName === null, archive: s.archive, markRead: s.markRead, threshold: String(s.threshold), replyJob: s.jobKind === "inbox.reply-draft" });

function Toggle({ id, label, hint, checked, onChange }: { id: string; label: string; hint: string; checked: boolean; onChange: (v: boolean) => void }) {
  return (
    <label htmlFor={id} className="flex cursor-pointer items-start gap-2.5 text-sm">
      <input id={id} type="checkbox" checked={checked} onChange={(e) => onChange(e.target.checked)} className="mt-0.5 h-4 w-4 rounded border-slate-300 accent-brand-600" />
      <span>
        <span className="font-medium text-slate-700">{label}</span>
        <span className="block text-xs text-slate-500">{hint}</span>
      </span>
    </label>
  );
}

/** What this threshold did on held-out mail (the development set, cross-validated). */
function ExpectedAtThreshold({ category, threshold }: { category: CategorySetting["category"]; threshold: number }) {
  const expected = Number.isFinite(threshold) ? expectedAtThreshold(category, threshold) : null;
  if (!expected) return null;
  return (
    <p className="mt-1 text-xs text-slate-500" data-testid="expected-at-threshold">
      On held-out test mail: {expected.messages ? `${(100 * expected.precision).toFixed(1)}% of these actions were right` : "no message reached it"}, covering{" "}
      {(100 * expected.coverage).toFixed(1)}% of all mail.
    </p>
  );
}

export function CategorySettingForm({ initial }: { initial: CategorySetting }) {
  const { titles } = useTriage();
  const mayManage = useCan("settings.manage");
  const [saved, setSaved] = useState(initial);
  const [draft, setDraft] = useState<Draft>(toDraft(initial));
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [status, setStatus] = useState<{ tone: "ok" | "error"; text: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const category = initial.category;
  const id = (field: string) => `${category}-${field}`;
  const dirty = JSON.stringify(draft) !== JSON.stringify(toDraft(saved));
  const threshold = Number(draft.threshold);
  const set = (patch: Partial<Draft>) => {
    setDraft((d) => ({ ...d, ...patch }));
    setStatus(null);
  };

  const save = async (event: React.FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setErrors({});
    setStatus(null);
    const body = {
      labelName: draft.noLabel ? null : draft.labelName,
      archive: draft.archive,
      markRead: draft.markRead,
      threshold: draft.threshold.trim() === "" ? null : Number(draft.threshold),
      jobKind: draft.replyJob ? "inbox.reply-draft" : null,
    };
    const result = await callApi<{ setting: CategorySetting }>(`/api/triage/settings/${category}`, { method: "PUT", body });
    setBusy(false);
    if (!result.ok) {
      setErrors(Object.fromEntries(result.issues.map((i) => [i.path, i.message])));
      return setStatus({ tone: "error", text: result.issues.length ? "Not saved: check the fields marked below." : result.message });
    }
    setSaved(result.data.setting);
    setDraft(toDraft(result.data.setting));
    setStatus({ tone: "ok", text: "Saved. It applies from the next sync." });
  };

  const nothing = draft.noLabel && !draft.archive && !draft.markRead;
  return (
    <form onSubmit={save} className="grid gap-x-6 gap-y-4 px-5 py-5 lg:grid-cols-[14rem_1fr]" data-testid="category-setting" data-category={category} noValidate aria-label={`${titles[category]} settings`}>
      <div>
        <h3 className="flex items-center gap-2 text-sm font-semibold text-slate-900">
          <span className={`h-2 w-2 rounded-full ${CATEGORY_STYLES[category].dot}`} aria-hidden="true" />
          {titles[category]}
        </h3>
        <p className="mt-1 text-xs text-slate-500">{CATEGORY_BLURBS[category]}</p>
      </div>

      <div className="grid gap-4 md:grid-cols-3">
        <div data-field="labelName">
          <label htmlFor={id("label")} className="block text-sm font-medium text-slate-700">Gmail label</label>
          <input
            id={id("label")}
            value={draft.noLabel ? "" : draft.labelName}
            disabled={draft.noLabel}
            placeholder={draft.noLabel ? "No label" : "e.g. Triage/Finance"}
            onChange={(e) => set({ labelName: e.target.value })}
            className={inputClass(Boolean(errors.labelName), "disabled:bg-slate-50 disabled:text-slate-400")}
          />
          <label className="mt-1.5 inline-flex items-center gap-1.5 text-xs text-slate-600">
            <input type="checkbox" checked={draft.noLabel} onChange={(e) => set({ noLabel: e.target.checked })} className="h-3.5 w-3.5 rounded border-slate-300 accent-brand-600" />
            No label
          </label>
          {errors.labelName ? <p className="mt-1 text-xs text-rose-700" data-testid="field-error">Label {errors.labelName}</p> : null}
        </div>

        <div className="space-y-2.5">
          <Toggle id={id("archive")} label="Archive" hint="Take it out of the inbox" checked={draft.archive} onChange={(v) => set({ archive: v })} />
          <Toggle id={id("read")} label="Mark as read" hint="Remove the unread mark" checked={draft.markRead} onChange={(v) => set({ markRead: v })} />
          {errors.archive || errors.markRead ? <p className="text-xs text-rose-700" data-testid="field-error">{errors.archive ?? errors.markRead}</p> : null}
          <Toggle
            id={id("reply-job")}
            label="Have an agent draft a reply"
            hint="Off by default. Each new message triage is sure of (or you confirm in review) becomes an inbox.reply-draft job; the agent's reply is saved as a Gmail draft in the thread and waits in Approvals. Nothing is sent until you approve it. The email's text reaches the agent fenced as untrusted data."
            checked={draft.replyJob}
            onChange={(v) => set({ replyJob: v })}
          />
        </div>

        <div data-field="threshold">
          <label htmlFor={id("threshold")} className="block text-sm font-medium text-slate-700">Act without asking from</label>
          <div className="mt-1 flex items-center gap-3">
            <input
              type="range"
              min={0.5}
              max={1}
              step={0.01}
              value={Number.isFinite(threshold) ? Math.min(1, Math.max(0.5, threshold)) : 0.9}
              onChange={(e) => set({ threshold: e.target.value })}
              aria-label={`${titles[category]} threshold slider`}
              className="h-2 flex-1 cursor-pointer accent-brand-600"
            />
            <input
              id={id("threshold")}
              type="number"
              min={0.5}
              max={1}
              step={0.01}
              value={draft.threshold}
              onChange={(e) => set({ threshold: e.target.value })}
              className={inputClass(Boolean(errors.threshold), "mt-0 w-20 tabular-nums")}
            />
          </div>
          {errors.threshold ? (
            <p className="mt-1 text-xs text-rose-700" data-testid="field-error">Threshold {errors.threshold}</p>
          ) : (
            <p className="mt-1 text-xs text-slate-500">
              {Number.isFinite(threshold) ? `${Math.round(threshold * 100)}% confident or more; below, it waits for review.` : "A confidence between 0.5 and 1."}
            </p>
          )}
          <ExpectedAtThreshold category={category} threshold={threshold} />
        </div>

        {dirty || status || nothing ? (
          <div className="flex flex-wrap items-center gap-3 md:col-span-3">
            {dirty ? (
              <>
                <Button type="submit" disabled={busy || !mayManage} title={mayManage ? undefined : "Your role cannot change triage settings"}>{busy ? <Spinner /> : null}Save {titles[category]}</Button>
                <Button type="button" variant="ghost" disabled={busy} onClick={() => { setDraft(toDraft(saved)); setErrors({}); setStatus(null); }}>Reset</Button>
              </>
            ) : null}
            {status ? (
              <span role={status.tone === "error" ? "alert" : "status"} className={`text-sm ${status.tone === "error" ? "text-rose-700" : "text-emerald-700"}`}>{status.text}</span>
            ) : nothing ? (
              <span className="text-xs text-slate-500">Nothing changes in Gmail for this category; it is only sorted here.</span>
            ) : null}
          </div>
        ) : null}
      </div>
    </form>
  );
}
