"use client";

import { useState } from "react";
import { Button, Spinner } from "@/components/ui/button";
import type { ActionResult } from "@/components/events/source-actions";

// Adds a subscription: which events (exact type or "*"), which pipeline, and the input template.
// The template's JSON is checked as you type; its paths are checked by the server.

const inputClass =
  "mt-1 block w-full rounded-lg border border-slate-300 px-3 py-2 text-sm shadow-sm focus:border-brand-500 focus:outline-none focus:ring-2 focus:ring-brand-100";

const DEFAULT_TEMPLATE = '{\n  "message": "$.message"\n}';

function jsonProblem(text: string): string | null {
  try {
    const value = JSON.parse(text);
    if (value !== "$" && (typeof value !== "object" || value === null || Array.isArray(value))) return 'The template must be a JSON object (or "$")';
    return null;
  } catch (error) {
    return `Not valid JSON: ${(error as Error).message}`;
  }
}

export function SubscriptionForm({
  source,
  pipelines,
  add,
  onAdded,
}: {
  source: string;
  pipelines: { name: string; title: string }[];
  add: (source: string, input: { eventType: string; pipeline: string; inputTemplate: unknown }) => Promise<ActionResult>;
  onAdded: () => void;
}) {
  const [eventType, setEventType] = useState("");
  const [pipeline, setPipeline] = useState(pipelines[0]?.name ?? "");
  const [template, setTemplate] = useState(DEFAULT_TEMPLATE);
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<{ message: string; issues?: { path: string; message: string }[] } | null>(null);
  const problem = jsonProblem(template);

  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    if (problem) return;
    setPending(true);
    setError(null);
    try {
      const result = await add(source, { eventType: eventType.trim(), pipeline, inputTemplate: JSON.parse(template) });
      if (result.status === "ok") {
        setEventType("");
        setTemplate(DEFAULT_TEMPLATE);
        onAdded();
      } else {
        setError(result);
      }
    } catch {
      setError({ message: "The server could not be reached; try again." });
    } finally {
      setPending(false);
    }
  };

  return (
    <form onSubmit={submit} aria-label={`Add a subscription to ${source}`} className="space-y-3 border-t border-slate-100 bg-slate-50/50 px-5 py-4" noValidate>
      <p className="text-xs font-semibold uppercase tracking-wide text-slate-500">Add a subscription</p>
      {error ? (
        <div role="alert" className="rounded-lg border border-rose-200 bg-rose-50 px-3 py-2 text-sm text-rose-800">
          {error.message}
          {error.issues && error.issues.length > 1 ? (
            <ul className="mt-1 list-inside list-disc text-xs">
              {error.issues.map((i) => <li key={`${i.path}:${i.message}`}><span className="font-mono">{i.path}</span> {i.message}</li>)}
            </ul>
          ) : null}
        </div>
      ) : null}
      <div className="grid gap-3 sm:grid-cols-2">
        <div>
          <label htmlFor={`${source}-event-type`} className="block text-sm font-medium text-slate-700">Event type</label>
          <input id={`${source}-event-type`} value={eventType} onChange={(e) => setEventType(e.target.value)} placeholder="order.created, or * for every event" required className={`${inputClass} font-mono`} />
        </div>
        <div>
          <label htmlFor={`${source}-pipeline`} className="block text-sm font-medium text-slate-700">Pipeline</label>
          <select id={`${source}-pipeline`} value={pipeline} onChange={(e) => setPipeline(e.target.value)} className={inputClass}>
            {pipelines.map((p) => <option key={p.name} value={p.name}>{p.name} — {p.title}</option>)}
          </select>
        </div>
      </div>
      <div>
        <label htmlFor={`${source}-template`} className="block text-sm font-medium text-slate-700">Input template</label>
        <textarea
          id={`${source}-template`}
          value={template}
          onChange={(e) => setTemplate(e.target.value)}
          rows={4}
          spellCheck={false}
          aria-invalid={problem ? true : undefined}
          className={`${inputClass} font-mono text-xs ${problem ? "border-rose-400 focus:ring-rose-100" : ""}`}
        />
        {problem ? (
          <p className="mt-1 text-xs text-rose-700">{problem}</p>
        ) : (
          <p className="mt-1 text-xs text-slate-500">
            The pipeline&apos;s input as JSON. Strings like <code className="font-mono">&quot;$.order.id&quot;</code>, <code className="font-mono">&quot;$.items[0]&quot;</code> or <code className="font-mono">&quot;$&quot;</code> (the whole payload) are replaced by the event&apos;s values; <code className="font-mono">&quot;$$…&quot;</code> is a literal &quot;$…&quot;.
          </p>
        )}
      </div>
      <div className="flex justify-end">
        <Button type="submit" disabled={pending || Boolean(problem) || !eventType.trim()}>
          {pending ? <Spinner /> : null}
          Add subscription
        </Button>
      </div>
    </form>
  );
}
