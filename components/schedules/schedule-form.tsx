"use client";

import { useRouter } from "next/navigation";
import { useMemo, useState, useTransition } from "react";
import { Button, Spinner } from "@/components/ui/button";
import { Card, CardHeader } from "@/components/ui/card";
import { callApi } from "@/components/schedules/api-client";
import { FireTimePreview, usePreview } from "@/components/schedules/fire-time-preview";
import { Field, inputClass } from "@/components/schedules/form-field";
import { CATCH_UP_LABELS, OVERLAP_LABELS } from "@/components/schedules/policy-labels";
import type { FieldIssue } from "@/lib/errors";
import type { PipelineOption } from "@/lib/schedules/pipeline-options";
import type { ScheduleDto } from "@/lib/schedules/schedule-dto";
import { pretty, type ScheduleFormValues } from "@/components/schedules/form-values";
import { CATCH_UP_POLICIES, MAX_CATCH_UP_LIMIT, OVERLAP_POLICIES, type CatchUpPolicyName, type OverlapPolicyName } from "@/lib/schedules/policies";

// Create or edit a schedule. The cron and timezone are checked as you type (the preview lists the
// next five fire times); everything else is checked by the server on save, each problem shown on
// its field.


const PRESETS = [
  { label: "Every minute", cron: "* * * * *" },
  { label: "Every 15 min", cron: "*/15 * * * *" },
  { label: "Hourly", cron: "0 * * * *" },
  { label: "Daily 09:00", cron: "0 9 * * *" },
  { label: "Weekdays 09:00", cron: "0 9 * * 1-5" },
  { label: "Mondays 08:00", cron: "0 8 * * 1" },
];

const COMMON_ZONES = ["UTC", "Europe/London", "Europe/Amsterdam", "Europe/Berlin", "Europe/Paris", "America/New_York", "America/Chicago", "America/Denver", "America/Los_Angeles", "America/Sao_Paulo", "Asia/Kolkata", "Asia/Singapore", "Asia/Tokyo", "Australia/Sydney"];


function parseInput(text: string): { value: Record<string, unknown> } | { error: string } {
  if (!text.trim()) return { value: {} };
  try {
    const value: unknown = JSON.parse(text);
    if (typeof value !== "object" || value === null || Array.isArray(value)) return { error: 'The input must be a JSON object, like {"message": "hi"}.' };
    return { value: value as Record<string, unknown> };
  } catch (error) {
    return { error: `Not valid JSON: ${error instanceof Error ? error.message : "parse error"}` };
  }
}


export function ScheduleForm({
  scheduleId,
  initial,
  pipelines,
  timezones,
}: {
  scheduleId?: string;
  initial: ScheduleFormValues;
  pipelines: PipelineOption[];
  timezones: string[];
}) {
  const router = useRouter();
  const [values, setValues] = useState(initial);
  const [inputTouched, setInputTouched] = useState(Boolean(scheduleId));
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [inputIssues, setInputIssues] = useState<FieldIssue[]>([]);
  const [alert, setAlert] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();
  const preview = usePreview(values.cron, values.timezone);
  const pipeline = pipelines.find((p) => p.name === values.pipeline);
  const zones = useMemo(() => [...new Set([...COMMON_ZONES, ...timezones])], [timezones]);
  const inputSyntax = parseInput(values.input);

  const previewIssue = (path: string) => (preview.status === "invalid" ? preview.issues.find((i) => i.path === path)?.message : undefined);
  const errorOf = (path: string) => errors[path] ?? previewIssue(path);

  const set = <K extends keyof ScheduleFormValues>(key: K, value: ScheduleFormValues[K]) => {
    setValues((v) => ({ ...v, [key]: value }));
    if (errors[key]) setErrors(({ [key]: _, ...rest }) => rest);
  };

  const choosePipeline = (name: string) => {
    set("pipeline", name);
    const next = pipelines.find((p) => p.name === name);
    // A new pipeline starts from its own defaults, unless the input was edited by hand.
    if (next && !inputTouched) set("input", pretty(next.defaultInput));
    setInputIssues([]);
  };

  const submit = (event: React.FormEvent) => {
    event.preventDefault();
    setAlert(null);
    if ("error" in inputSyntax) {
      setAlert("Fix the input before saving.");
      return;
    }
    const body = {
      name: values.name,
      description: values.description.trim() ? values.description : null,
      cron: values.cron,
      timezone: values.timezone,
      pipeline: values.pipeline,
      input: inputSyntax.value,
      enabled: values.enabled,
      catchUp: values.catchUp,
      catchUpLimit: Number(values.catchUpLimit),
      overlap: values.overlap,
    };
    startTransition(async () => {
      const result = await callApi<{ schedule: ScheduleDto }>(scheduleId ? `/api/schedules/${scheduleId}` : "/api/schedules", {
        method: scheduleId ? "PATCH" : "POST",
        body,
      });
      if (result.ok) {
        router.push(`/schedules/${result.data.schedule.id}`);
        router.refresh();
        return;
      }
      const byField: Record<string, string> = {};
      const forInput: FieldIssue[] = [];
      for (const issue of result.issues) {
        if (issue.path === "input" || issue.path.startsWith("input.")) forInput.push(issue);
        else byField[issue.path] ??= issue.message;
      }
      setErrors(byField);
      setInputIssues(forInput);
      setAlert(result.issues.length ? "Check the highlighted fields; nothing was saved." : result.message);
    });
  };

  return (
    <form onSubmit={submit} noValidate aria-label={scheduleId ? "Edit schedule" : "New schedule"} className="grid items-start gap-6 xl:grid-cols-3">
      <Card className="xl:col-span-2">
        <div className="space-y-5 px-5 py-5">
          {alert ? <p role="alert" className="rounded-lg border border-rose-200 bg-rose-50 px-3 py-2 text-sm text-rose-800">{alert}</p> : null}

          <div className="grid gap-5 sm:grid-cols-2">
            <Field id="name" label="Name" error={errorOf("name")} hint="Unique; the CLI and URLs can use it.">
              <input id="name" value={values.name} onChange={(e) => set("name", e.target.value)} className={inputClass(Boolean(errorOf("name")))} aria-invalid={Boolean(errorOf("name")) || undefined} autoComplete="off" />
            </Field>
            <Field id="pipeline" label="Pipeline" error={errorOf("pipeline")} hint={pipeline?.description}>
              <select id="pipeline" value={values.pipeline} onChange={(e) => choosePipeline(e.target.value)} className={inputClass(Boolean(errorOf("pipeline")), "bg-white")}>
                {pipelines.map((p) => <option key={p.name} value={p.name}>{p.name} — {p.title}</option>)}
              </select>
            </Field>
          </div>

          <Field id="description" label="Description (optional)" error={errorOf("description")}>
            <input id="description" value={values.description} onChange={(e) => set("description", e.target.value)} className={inputClass(Boolean(errorOf("description")))} />
          </Field>

          <div className="grid gap-5 sm:grid-cols-2">
            <Field id="cron" label="Cron expression" error={errorOf("cron")} hint="minute hour day-of-month month day-of-week">
              <input id="cron" value={values.cron} onChange={(e) => set("cron", e.target.value)} spellCheck={false} autoComplete="off" className={inputClass(Boolean(errorOf("cron")), "font-mono")} aria-invalid={Boolean(errorOf("cron")) || undefined} />
              <div className="mt-2 flex flex-wrap gap-1.5">
                {PRESETS.map((p) => (
                  <button key={p.cron} type="button" onClick={() => set("cron", p.cron)} className={`rounded-full px-2.5 py-0.5 text-xs ring-1 ring-inset transition-colors ${values.cron === p.cron ? "bg-brand-50 text-brand-700 ring-brand-100" : "text-slate-600 ring-slate-200 hover:bg-slate-50"}`}>
                    {p.label}
                  </button>
                ))}
              </div>
            </Field>
            <Field id="timezone" label="Timezone" error={errorOf("timezone")} hint="Type to search; daylight saving is handled.">
              <input id="timezone" list="timezone-options" value={values.timezone} onChange={(e) => set("timezone", e.target.value)} spellCheck={false} autoComplete="off" className={inputClass(Boolean(errorOf("timezone")))} aria-invalid={Boolean(errorOf("timezone")) || undefined} />
              <datalist id="timezone-options">
                {zones.map((z) => <option key={z} value={z} />)}
              </datalist>
            </Field>
          </div>

          <Field
            id="input"
            label="Input (JSON)"
            error={"error" in inputSyntax ? inputSyntax.error : inputIssues.length ? "The pipeline's input schema rejects this input:" : undefined}
            hint="Checked against the pipeline's input schema when you save."
          >
            <textarea
              id="input"
              rows={Math.min(Math.max(values.input.split("\n").length + 1, 4), 16)}
              spellCheck={false}
              value={values.input}
              onChange={(e) => {
                set("input", e.target.value);
                setInputTouched(true);
                setInputIssues([]);
              }}
              className={inputClass("error" in inputSyntax || inputIssues.length > 0, "bg-slate-50 font-mono text-xs leading-relaxed")}
            />
            {inputIssues.length ? (
              <ul className="mt-1 list-inside list-disc text-xs text-rose-700" data-testid="input-issues">
                {inputIssues.map((issue, i) => (
                  <li key={i}><span className="font-mono">{issue.path.replace(/^input\.?/, "") || "input"}</span> — {issue.message}</li>
                ))}
              </ul>
            ) : null}
          </Field>

          <div className="grid gap-5 sm:grid-cols-2">
            <Field id="catchUp" label="Missed while the app was down" error={errorOf("catchUp") ?? errorOf("catchUpLimit")} hint={CATCH_UP_LABELS[values.catchUp].help}>
              <div className="mt-1 flex gap-2">
                <select id="catchUp" value={values.catchUp} onChange={(e) => set("catchUp", e.target.value as CatchUpPolicyName)} className={inputClass(false, "mt-0 bg-white")}>
                  {CATCH_UP_POLICIES.map((p) => <option key={p} value={p}>{CATCH_UP_LABELS[p].title}</option>)}
                </select>
                {values.catchUp === "all" ? (
                  <input id="catchUpLimit" aria-label="Catch-up limit" type="number" min={1} max={MAX_CATCH_UP_LIMIT} value={values.catchUpLimit} onChange={(e) => set("catchUpLimit", e.target.value)} className={inputClass(Boolean(errorOf("catchUpLimit")), "mt-0 w-24")} />
                ) : null}
              </div>
            </Field>
            <Field id="overlap" label="When the previous run is still going" error={errorOf("overlap")} hint={OVERLAP_LABELS[values.overlap].help}>
              <select id="overlap" value={values.overlap} onChange={(e) => set("overlap", e.target.value as OverlapPolicyName)} className={inputClass(false, "bg-white")}>
                {OVERLAP_POLICIES.map((p) => <option key={p} value={p}>{OVERLAP_LABELS[p].title}</option>)}
              </select>
            </Field>
          </div>

          <label className="flex items-center gap-2 text-sm text-slate-700">
            <input type="checkbox" checked={values.enabled} onChange={(e) => set("enabled", e.target.checked)} className="h-4 w-4 rounded border-slate-300 text-brand-600" />
            Enabled — runs on its schedule
          </label>
        </div>
        <div className="flex items-center justify-end gap-3 border-t border-slate-100 px-5 py-4">
          <Button type="button" variant="ghost" onClick={() => router.back()} disabled={pending}>Cancel</Button>
          <Button type="submit" disabled={pending}>{pending ? <Spinner /> : null}{pending ? "Saving…" : scheduleId ? "Save changes" : "Create schedule"}</Button>
        </div>
      </Card>

      <Card className="xl:sticky xl:top-24">
        <CardHeader title="Next five fire times" description="As the schedule will fire them, in its timezone." />
        <FireTimePreview state={preview} timezone={values.timezone} />
      </Card>
    </form>
  );
}
