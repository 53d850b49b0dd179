"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { Button, Spinner } from "@/components/ui/button";

// Create or edit an area: what its assistant is for, the pipelines it may call, its model and
// prices, and its limits. Problems come back from the API by field and show next to the field.

export type AreaFormValues = {
  slug: string;
  name: string;
  description: string;
  instructions: string;
  pipelines: string[];
  model: string;
  maxSteps: number;
  turnBudgetUsd: number;
  dailyBudgetUsd: number;
  inputUsdPerMTok: number;
  outputUsdPerMTok: number;
};

type PipelineOption = { name: string; title: string; sideEffects: string };

const input = "w-full rounded-lg border border-slate-300 px-3 py-2 text-sm shadow-sm focus:border-brand-500 focus:outline-none focus:ring-2 focus:ring-brand-500/30";

function Field({ label, name, hint, errors, children }: { label: string; name: string; hint?: string; errors: Record<string, string>; children: React.ReactNode }) {
  return (
    <div>
      <label htmlFor={`area-${name}`} className="block text-sm font-medium text-slate-700">{label}</label>
      <div className="mt-1">{children}</div>
      {errors[name] ? <p className="mt-1 text-xs text-rose-700" role="alert">{errors[name]}</p> : hint ? <p className="mt-1 text-xs text-slate-500">{hint}</p> : null}
    </div>
  );
}

export function AreaForm({ mode, initial, pipelines }: { mode: "create" | "edit"; initial: AreaFormValues; pipelines: PipelineOption[] }) {
  const router = useRouter();
  const [values, setValues] = useState(initial);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [message, setMessage] = useState<{ tone: "error" | "ok"; text: string } | null>(null);
  const [saving, setSaving] = useState(false);
  const all = values.pipelines.includes("*");

  const set = <K extends keyof AreaFormValues>(key: K, value: AreaFormValues[K]) => setValues((v) => ({ ...v, [key]: value }));
  const num = (key: "maxSteps" | "turnBudgetUsd" | "dailyBudgetUsd" | "inputUsdPerMTok" | "outputUsdPerMTok") => ({
    id: `area-${key}`,
    type: "number",
    step: key === "maxSteps" ? 1 : "any",
    min: 0,
    value: Number.isNaN(values[key]) ? "" : values[key],
    onChange: (e: React.ChangeEvent<HTMLInputElement>) => set(key, e.target.valueAsNumber),
    className: input,
  });

  function togglePipeline(name: string) {
    set("pipelines", values.pipelines.includes(name) ? values.pipelines.filter((p) => p !== name) : [...values.pipelines, name]);
  }

  async function save(event: React.FormEvent) {
    event.preventDefault();
    setSaving(true);
    setErrors({});
    setMessage(null);
    const { slug, ...fields } = values;
    const res = await fetch(mode === "create" ? "/api/areas" : `/api/areas/${initial.slug}`, {
      method: mode === "create" ? "POST" : "PATCH",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(mode === "create" ? { slug, ...fields } : fields),
    }).catch(() => null);
    setSaving(false);
    if (!res) return setMessage({ tone: "error", text: "Could not reach the server. Check your connection and try again." });
    const body = (await res.json().catch(() => null)) as { error?: { message: string; details?: { issues?: { path: string; message: string }[] } } } | null;
    if (!res.ok) {
      const issues = body?.error?.details?.issues ?? [];
      setErrors(Object.fromEntries(issues.map((i) => [i.path.split(".")[0] ?? "", i.message])));
      return setMessage({ tone: "error", text: body?.error?.message ?? `Saving failed (HTTP ${res.status})` });
    }
    if (mode === "create") {
      router.push(`/areas/${slug}`);
      return;
    }
    setMessage({ tone: "ok", text: "Saved. The next turn in this area uses the new settings." });
    router.refresh();
  }

  return (
    <form onSubmit={save} className="space-y-5 px-5 py-5" data-testid="area-form" noValidate>
      <div className="grid gap-5 sm:grid-cols-2">
        {mode === "create" ? (
          <Field label="Slug" name="slug" hint="Lowercase, e.g. finance; it appears in addresses" errors={errors}>
            <input id="area-slug" value={values.slug} onChange={(e) => set("slug", e.target.value)} className={input} required />
          </Field>
        ) : null}
        <Field label="Name" name="name" errors={errors}>
          <input id="area-name" value={values.name} onChange={(e) => set("name", e.target.value)} className={input} required />
        </Field>
        <Field label="Model" name="model" hint="As the model server names it, e.g. gpt-4o-mini or llama3.1" errors={errors}>
          <input id="area-model" value={values.model} onChange={(e) => set("model", e.target.value)} className={input} required />
        </Field>
      </div>
      <Field label="Description" name="description" errors={errors}>
        <input id="area-description" value={values.description} onChange={(e) => set("description", e.target.value)} className={input} />
      </Field>
      <Field label="Instructions" name="instructions" hint="Goes into the system prompt after the context hub's soul.md" errors={errors}>
        <textarea id="area-instructions" rows={5} value={values.instructions} onChange={(e) => set("instructions", e.target.value)} className={input} />
      </Field>
      <fieldset>
        <legend className="text-sm font-medium text-slate-700">Pipelines the assistant may call</legend>
        {errors.pipelines ? <p className="mt-1 text-xs text-rose-700" role="alert">{errors.pipelines}</p> : null}
        <label className="mt-2 flex items-center gap-2 text-sm text-slate-700">
          <input type="checkbox" checked={all} onChange={() => set("pipelines", all ? [] : ["*"])} /> Every pipeline, including ones added later
        </label>
        <div className="mt-2 grid gap-1.5 sm:grid-cols-2">
          {pipelines.map((p) => (
            <label key={p.name} className={`flex items-center gap-2 text-sm ${all ? "text-slate-400" : "text-slate-700"}`}>
              <input type="checkbox" disabled={all} checked={all || values.pipelines.includes(p.name)} onChange={() => togglePipeline(p.name)} />
              <span className="font-mono text-xs">{p.name}</span>
              {p.sideEffects === "external" ? <span className="text-xs text-amber-700">asks first</span> : null}
            </label>
          ))}
        </div>
      </fieldset>
      <div className="grid gap-5 sm:grid-cols-3">
        <Field label="Steps per turn" name="maxSteps" hint="Model calls; each tool round is one" errors={errors}>
          <input {...num("maxSteps")} />
        </Field>
        <Field label="Budget per turn (USD)" name="turnBudgetUsd" errors={errors}>
          <input {...num("turnBudgetUsd")} />
        </Field>
        <Field label="Budget per day (USD)" name="dailyBudgetUsd" hint="Resets at midnight UTC" errors={errors}>
          <input {...num("dailyBudgetUsd")} />
        </Field>
        <Field label="Input price (USD / M tokens)" name="inputUsdPerMTok" hint="0 for a local model" errors={errors}>
          <input {...num("inputUsdPerMTok")} />
        </Field>
        <Field label="Output price (USD / M tokens)" name="outputUsdPerMTok" errors={errors}>
          <input {...num("outputUsdPerMTok")} />
        </Field>
      </div>
      <div className="flex items-center gap-3">
        <Button type="submit" disabled={saving}>{saving ? <Spinner /> : null} {mode === "create" ? "Create area" : "Save changes"}</Button>
        {message ? (
          <p role={message.tone === "error" ? "alert" : "status"} className={`text-sm ${message.tone === "error" ? "text-rose-700" : "text-emerald-700"}`}>
            {message.text}
          </p>
        ) : null}
      </div>
    </form>
  );
}
