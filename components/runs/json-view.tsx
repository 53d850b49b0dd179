import { CopyButton } from "@/components/runs/copy-button";

// Pretty-printed JSON with a copy button. Server-renderable; only the button is a client island.

export function toPrettyJson(value: unknown): string {
  if (value === undefined) return "";
  return JSON.stringify(value, null, 2) ?? String(value);
}

export function JsonView({
  value,
  label,
  className = "",
  maxHeight = "max-h-96",
  testId,
}: {
  value: unknown;
  label?: string;
  className?: string;
  maxHeight?: string;
  testId?: string;
}) {
  const text = toPrettyJson(value);
  return (
    <div className={`overflow-hidden rounded-lg border border-slate-200 bg-slate-50 ${className}`}>
      <div className="flex items-center justify-between gap-2 border-b border-slate-200 bg-white/70 px-3 py-1">
        <span className="text-xs font-medium uppercase tracking-wide text-slate-500">{label ?? "JSON"}</span>
        <CopyButton text={text} label={label ? `Copy ${label.toLowerCase()}` : "Copy"} />
      </div>
      <pre data-testid={testId} className={`overflow-auto px-3 py-2.5 font-mono text-xs leading-relaxed text-slate-800 ${maxHeight}`}>
        {text}
      </pre>
    </div>
  );
}
