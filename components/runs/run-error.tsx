import { JsonView } from "@/components/runs/json-view";
import type { RunDto } from "@/lib/pipelines/run-dto";

// A failed or cancelled run's error: code, message and, when there are any, details or field issues.

type Issue = { path: string; message: string };

function issuesOf(details: unknown): Issue[] | null {
  const issues = (details as { issues?: unknown } | null | undefined)?.issues;
  if (!Array.isArray(issues)) return null;
  return issues.every((i) => typeof i?.message === "string") ? (issues as Issue[]) : null;
}

export function RunError({ error, status }: { error: NonNullable<RunDto["error"]>; status: RunDto["status"] }) {
  const tone = status === "cancelled" ? "border-slate-200 bg-slate-50 text-slate-800" : "border-rose-200 bg-rose-50 text-rose-900";
  const issues = issuesOf(error.details);
  const { issues: _issues, ...rest } = (error.details ?? {}) as Record<string, unknown>;
  const otherDetails = error.details === undefined || error.details === null ? null : issues ? (Object.keys(rest).length ? rest : null) : error.details;
  return (
    <div data-testid="run-error" className={`rounded-lg border px-4 py-3 text-sm ${tone}`}>
      <div className="flex flex-wrap items-center gap-2">
        <code className="rounded bg-white/80 px-1.5 py-0.5 font-mono text-xs ring-1 ring-inset ring-black/10">{error.code}</code>
        <p className="font-medium">{error.message}</p>
      </div>
      {issues?.length ? (
        <ul className="mt-2 space-y-0.5 text-xs">
          {issues.map((i, n) => (
            <li key={n}>
              <span className="font-mono">{i.path || "(input)"}</span> — {i.message}
            </li>
          ))}
        </ul>
      ) : null}
      {otherDetails !== null ? <JsonView value={otherDetails} label="Details" className="mt-3" maxHeight="max-h-60" /> : null}
    </div>
  );
}
