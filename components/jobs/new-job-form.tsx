"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { Button, Spinner, buttonClass } from "@/components/ui/button";
import { Card, CardHeader } from "@/components/ui/card";
import { skeletonFor } from "@/components/jobs/input-skeleton";
import type { FieldIssue } from "@/lib/errors";

// Creates a job through POST /api/jobs (the agent-jobs.create pipeline); the server validates the
// input against the kind's schema and its field issues are listed under the editor.

export type KindOption = { name: string; title: string; description: string; inputSchema: Record<string, unknown>; maxAttempts: number };

const fieldClass =
  "w-full rounded-lg border border-slate-300 bg-white px-3 py-2 text-sm text-slate-800 shadow-sm focus:border-brand-500 focus:outline-none focus:ring-2 focus:ring-brand-100";

const skeletonText = (kind: KindOption | undefined) => JSON.stringify(skeletonFor(kind?.inputSchema) ?? {}, null, 2);

type Problem = { message: string; issues: FieldIssue[] };

export function NewJobForm({ kinds, initialKind }: { kinds: KindOption[]; initialKind: string }) {
  const router = useRouter();
  const [kindName, setKindName] = useState(initialKind);
  const kind = kinds.find((k) => k.name === kindName);
  const [inputText, setInputText] = useState(() => skeletonText(kind));
  const [priority, setPriority] = useState("0");
  const [submitting, setSubmitting] = useState(false);
  const [problem, setProblem] = useState<Problem | null>(null);

  const changeKind = (name: string) => {
    setKindName(name);
    setInputText(skeletonText(kinds.find((k) => k.name === name)));
    setProblem(null);
  };

  const submit = async (event: React.FormEvent) => {
    event.preventDefault();
    setProblem(null);
    let input: unknown;
    try {
      input = JSON.parse(inputText);
    } catch (error) {
      setProblem({ message: `The input is not valid JSON: ${(error as Error).message}`, issues: [] });
      return;
    }
    const priorityNumber = Number(priority);
    if (!Number.isInteger(priorityNumber)) {
      setProblem({ message: "The priority must be a whole number.", issues: [] });
      return;
    }
    setSubmitting(true);
    try {
      const res = await fetch("/api/jobs", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ kind: kindName, input, priority: priorityNumber }),
      });
      const body = await res.json().catch(() => null);
      const jobId: string | undefined = body?.run?.output?.jobId;
      if (res.ok && jobId) {
        router.push(`/jobs/${jobId}`);
        return;
      }
      if (res.status === 202 && body?.run?.id) {
        router.push(`/runs/${body.run.id}`);
        return;
      }
      const issues: FieldIssue[] = body?.error?.details?.issues ?? body?.run?.error?.details?.issues ?? [];
      // With field issues the list says it all; the summary would only repeat the first one.
      const message: string = issues.length
        ? "The input does not fit this kind of job; nothing was created."
        : (body?.run?.error?.message ?? body?.error?.message ?? `The job could not be created (HTTP ${res.status})`);
      setProblem({ message, issues });
    } catch {
      setProblem({ message: "The server could not be reached; try again.", issues: [] });
    } finally {
      setSubmitting(false);
    }
  };

  return (
    <form onSubmit={submit} className="grid items-start gap-6 xl:grid-cols-3">
      <Card className="xl:col-span-2">
        <CardHeader title="Job" description="Created through the agent-jobs.create pipeline, so the run records that you asked." />
        <div className="space-y-5 p-5">
          <div className="grid gap-5 sm:grid-cols-3">
            <label className="block sm:col-span-2">
              <span className="mb-1.5 block text-sm font-medium text-slate-700">Kind</span>
              <select name="kind" value={kindName} onChange={(e) => changeKind(e.target.value)} className={fieldClass}>
                {kinds.map((k) => (
                  <option key={k.name} value={k.name}>{k.title} ({k.name})</option>
                ))}
              </select>
            </label>
            <label className="block">
              <span className="mb-1.5 block text-sm font-medium text-slate-700">Priority</span>
              <input name="priority" type="number" step={1} min={-1000} max={1000} value={priority} onChange={(e) => setPriority(e.target.value)} className={fieldClass} />
              <span className="mt-1 block text-xs text-slate-500">Higher is claimed first.</span>
            </label>
          </div>
          <label className="block">
            <span className="mb-1.5 block text-sm font-medium text-slate-700">Input (JSON)</span>
            <textarea
              name="input"
              aria-label="Input JSON"
              value={inputText}
              onChange={(e) => setInputText(e.target.value)}
              spellCheck={false}
              rows={14}
              className={`${fieldClass} font-mono text-xs leading-relaxed`}
            />
          </label>
          {problem ? (
            <div role="alert" data-testid="form-error" className="rounded-lg border border-rose-200 bg-rose-50 px-4 py-3 text-sm text-rose-800">
              <p>{problem.message}</p>
              {problem.issues.length ? (
                <ul className="mt-2 list-disc space-y-0.5 pl-5 text-xs" data-testid="job-input-issues">
                  {problem.issues.map((issue, i) => (
                    <li key={i}>
                      <code className="font-mono">{issue.path || "(input)"}</code>: {issue.message}
                    </li>
                  ))}
                </ul>
              ) : null}
            </div>
          ) : null}
          <div className="flex items-center gap-2">
            <Button type="submit" disabled={submitting}>
              {submitting ? <Spinner /> : null}
              {submitting ? "Creating…" : "Create job"}
            </Button>
            <Link href="/jobs" className={buttonClass("secondary")}>Cancel</Link>
          </div>
        </div>
      </Card>
      <Card>
        <CardHeader title={kind?.title ?? kindName} />
        <div className="space-y-3 p-5 text-sm text-slate-600">
          <p>{kind?.description}</p>
          {kind ? <p className="text-xs text-slate-500">Up to {kind.maxAttempts} attempts before the job is dead.</p> : null}
          <details>
            <summary className="cursor-pointer text-xs font-medium text-brand-600">Input schema</summary>
            <pre className="mt-2 max-h-80 overflow-auto rounded-lg border border-slate-200 bg-slate-50 px-3 py-2 font-mono text-[11px] text-slate-700">
              {JSON.stringify(kind?.inputSchema ?? {}, null, 2)}
            </pre>
          </details>
        </div>
      </Card>
    </form>
  );
}
