"use client";

import { useRouter } from "next/navigation";
import { useMemo, useRef, useState, useTransition } from "react";
import { Button, Spinner } from "@/components/ui/button";
import type { RunAction, RunActionResult } from "@/components/pipelines/run-action-result";
import { RunResult } from "@/components/pipelines/run-result";
import { SchemaFieldInput } from "@/components/pipelines/schema-field-input";
import {
  fieldOfIssue,
  fieldsForSchema,
  initialValues,
  inputFromValues,
  valuesFromInput,
  type FormValues,
  type JsonSchema,
} from "@/components/pipelines/schema-fields";
import type { FieldIssue } from "@/lib/errors";

// The run form, generated from the pipeline's input JSON Schema, with a raw JSON editor beside it.
// Field errors come from the server's zod issues (or, for values that are not even numbers or
// JSON, from the form itself).

type Mode = "form" | "json";

function pretty(value: unknown): string {
  return JSON.stringify(value, null, 2);
}

function parseObject(text: string): { input: Record<string, unknown> } | { error: string } {
  if (!text.trim()) return { input: {} };
  try {
    const value: unknown = JSON.parse(text);
    if (typeof value !== "object" || value === null || Array.isArray(value)) return { error: "The input must be a JSON object, like {\"message\": \"hi\"}." };
    return { input: value as Record<string, unknown> };
  } catch (error) {
    return { error: `This is not valid JSON: ${error instanceof Error ? error.message : "parse error"}` };
  }
}

export function RunForm({ pipeline, inputSchema, action }: { pipeline: string; inputSchema: JsonSchema; action: RunAction }) {
  const router = useRouter();
  const fields = useMemo(() => fieldsForSchema(inputSchema), [inputSchema]);
  const defaults = useMemo(() => (fields ? initialValues(fields) : {}), [fields]);
  const [mode, setMode] = useState<Mode>(fields ? "form" : "json");
  const [values, setValues] = useState<FormValues>(defaults);
  const [json, setJson] = useState(() => pretty(fields ? inputFromValues(fields, defaults).input : {}));
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({});
  const [formIssues, setFormIssues] = useState<FieldIssue[]>([]);
  const [alert, setAlert] = useState<string | null>(null);
  const [result, setResult] = useState<RunActionResult | null>(null);
  const [pending, startTransition] = useTransition();
  const [submission, setSubmission] = useState(0);
  // The key of a submission whose answer never arrived (the connection dropped): sending the same
  // input again reuses it, so a run the server did start comes back instead of running twice.
  const unanswered = useRef<{ input: string; key: string } | null>(null);

  const clearErrors = () => {
    setFieldErrors({});
    setFormIssues([]);
    setAlert(null);
  };

  const showIssues = (message: string, issues: FieldIssue[]) => {
    const known = new Set(mode === "form" && fields ? fields.map((f) => f.name) : []);
    const byField: Record<string, string> = {};
    const rest: FieldIssue[] = [];
    for (const issue of issues) {
      const name = fieldOfIssue(issue.path);
      if (known.has(name) && !byField[name]) byField[name] = issue.path === name ? issue.message : `${issue.path}: ${issue.message}`;
      else rest.push(issue);
    }
    setFieldErrors(byField);
    setFormIssues(rest);
    setAlert(message);
  };

  const switchMode = (next: Mode) => {
    if (next === mode || !fields) return;
    clearErrors();
    if (next === "json") {
      const built = inputFromValues(fields, values);
      if (Object.keys(built.errors).length) {
        setFieldErrors(built.errors);
        setAlert("Fix the highlighted fields before switching to JSON.");
        return;
      }
      setJson(pretty(built.input));
      setMode("json");
      return;
    }
    const parsed = parseObject(json);
    if ("error" in parsed) return setAlert(parsed.error);
    const loaded = valuesFromInput(fields, parsed.input);
    if (loaded.problems.length) {
      setAlert("This JSON cannot be shown as form fields without changing it. Edit it here, or fix:");
      setFormIssues(loaded.problems.map((message) => ({ path: "", message })));
      return;
    }
    setValues(loaded.values);
    setMode("form");
  };

  const submit = (event: React.FormEvent) => {
    event.preventDefault();
    clearErrors();
    let input: Record<string, unknown>;
    if (mode === "form" && fields) {
      const built = inputFromValues(fields, values);
      if (Object.keys(built.errors).length) {
        setFieldErrors(built.errors);
        setAlert("Check the highlighted fields; nothing was run.");
        return;
      }
      input = built.input;
    } else {
      const parsed = parseObject(json);
      if ("error" in parsed) return setAlert(parsed.error);
      input = parsed.input;
    }
    const sent = JSON.stringify(input);
    const key = unanswered.current?.input === sent ? unanswered.current.key : `dashboard-${randomHex(16)}`;
    unanswered.current = { input: sent, key };
    startTransition(async () => {
      try {
        const answer = await action(pipeline, input, key);
        unanswered.current = null;
        if (answer.status === "invalid") showIssues(answer.message, answer.issues);
        else if (answer.status === "error") setAlert(`${answer.message} (${answer.code})`);
        setResult(answer.status === "started" ? answer : null);
        setSubmission((n) => n + 1);
        if (answer.status === "started") router.refresh();
      } catch {
        setAlert("The server could not be reached. Check your connection and try again.");
      }
    });
  };

  const reset = () => {
    clearErrors();
    setValues(defaults);
    setJson(pretty(fields ? inputFromValues(fields, defaults).input : {}));
  };

  return (
    <div>
      <form
        onSubmit={submit}
        onKeyDown={(e) => {
          if ((e.metaKey || e.ctrlKey) && e.key === "Enter") {
            e.preventDefault();
            e.currentTarget.requestSubmit();
          }
        }}
        noValidate
        aria-label={`Run ${pipeline}`}
        className="space-y-5 px-5 py-5"
      >
        <div className="flex flex-wrap items-center justify-between gap-3">
          <p className="text-sm text-slate-500">
            {mode === "form" ? "Fields come from the pipeline's input schema." : "The exact input object that will be sent."}
          </p>
          <div role="group" aria-label="Input editor" className="inline-flex rounded-lg bg-slate-100 p-0.5 text-xs font-medium">
            {(["form", "json"] as const).map((m) => (
              <button
                key={m}
                type="button"
                aria-pressed={mode === m}
                disabled={!fields && m === "form"}
                title={!fields && m === "form" ? "This input cannot be shown as form fields" : undefined}
                onClick={() => switchMode(m)}
                className={`rounded-md px-3 py-1 transition-colors disabled:cursor-not-allowed disabled:opacity-50 ${mode === m ? "bg-white text-slate-900 shadow-sm" : "text-slate-600 hover:text-slate-900"}`}
              >
                {m === "form" ? "Form" : "JSON"}
              </button>
            ))}
          </div>
        </div>

        {alert ? (
          <div role="alert" className="rounded-lg border border-rose-200 bg-rose-50 px-3 py-2 text-sm text-rose-800">
            <p>{alert}</p>
            {formIssues.length ? (
              <ul className="mt-1 list-inside list-disc text-xs">
                {formIssues.map((issue, i) => (
                  <li key={i}>
                    {issue.path ? <span className="font-mono">{issue.path}</span> : null}
                    {issue.path ? " — " : null}
                    {issue.message}
                  </li>
                ))}
              </ul>
            ) : null}
          </div>
        ) : null}

        {mode === "form" && fields ? (
          fields.length === 0 ? (
            <p className="rounded-lg border border-dashed border-slate-200 px-4 py-3 text-sm text-slate-500">This pipeline takes no input.</p>
          ) : (
            <div className="space-y-5">
              {fields.map((field) => (
                <SchemaFieldInput
                  key={field.name}
                  field={field}
                  value={values[field.name] ?? ""}
                  error={fieldErrors[field.name]}
                  onChange={(value) => {
                    setValues((v) => ({ ...v, [field.name]: value }));
                    if (fieldErrors[field.name]) setFieldErrors(({ [field.name]: _, ...rest }) => rest);
                  }}
                />
              ))}
            </div>
          )
        ) : (
          <div>
            <label htmlFor="run-input-json" className="mb-1 block text-sm font-medium text-slate-700">Input (JSON)</label>
            <textarea
              id="run-input-json"
              rows={Math.min(Math.max(json.split("\n").length + 1, 6), 24)}
              spellCheck={false}
              value={json}
              onChange={(e) => setJson(e.target.value)}
              className="block w-full resize-y rounded-lg border border-slate-300 bg-slate-50 px-3 py-2 font-mono text-xs leading-relaxed text-slate-900 shadow-sm focus:border-brand-500 focus:outline-none focus:ring-2 focus:ring-brand-100"
            />
            {!fields ? <p className="mt-1 text-xs text-slate-500">This input is not a plain object of fields, so it is edited as JSON.</p> : null}
          </div>
        )}

        <div className="flex flex-wrap items-center justify-end gap-3 border-t border-slate-100 pt-4">
          <span className="mr-auto hidden text-xs text-slate-400 sm:inline">Ctrl + Enter runs it</span>
          <Button type="button" variant="ghost" onClick={reset} disabled={pending}>Reset</Button>
          <Button type="submit" disabled={pending}>
            {pending ? <Spinner /> : (
              <svg viewBox="0 0 24 24" className="h-4 w-4" fill="currentColor" aria-hidden="true"><path d="M8 5.5v13a1 1 0 0 0 1.5.9l10.3-6.5a1 1 0 0 0 0-1.8L9.5 4.6A1 1 0 0 0 8 5.5z" /></svg>
            )}
            {pending ? "Running…" : "Run pipeline"}
          </Button>
        </div>
      </form>

      {result?.status === "started" ? (
        <div className="border-t border-slate-100 bg-slate-50/60 px-5 py-5">
          <h3 className="mb-3 text-sm font-semibold text-slate-900">Result</h3>
          <RunResult key={`${result.run.id}-${submission}`} initial={result.run} />
        </div>
      ) : null}
    </div>
  );
}

/** Random hex: crypto.randomUUID exists only in secure contexts, and a self-hosted app may be served over plain HTTP. */
function randomHex(bytes: number): string {
  return Array.from(crypto.getRandomValues(new Uint8Array(bytes)), (b) => b.toString(16).padStart(2, "0")).join("");
}
