import { labelText } from "./labels";

// A message's labels before → after an action: what it removed struck through, what it added
// highlighted. Gmail's system labels read as words, triage's labels by name, others by their id.

function LabelChip({ id, tone, names }: { id: string; tone: "removed" | "added" | "kept"; names?: Record<string, string> }) {
  const { text, system, known } = labelText(id, names);
  const style =
    tone === "removed" ? "bg-rose-50 text-rose-700 ring-rose-200 line-through" : tone === "added" ? "bg-emerald-50 text-emerald-700 ring-emerald-200" : "bg-white text-slate-600 ring-slate-200";
  return (
    <span
      className={`inline-flex items-center rounded px-1.5 py-0.5 text-[11px] ring-1 ring-inset ${style} ${known ? "" : "font-mono"}`}
      title={system ? `Gmail system label ${id}` : `Gmail label ${known ? `${text} (id ${id})` : `id ${id}`}`}
      data-label={id}
    >
      {text}
    </span>
  );
}

export function LabelChange({ before, after, names }: { before: string[]; after: string[]; names?: Record<string, string> }) {
  const removed = new Set(before.filter((l) => !after.includes(l)));
  const added = new Set(after.filter((l) => !before.includes(l)));
  const chips = (labels: string[], changedTone: "removed" | "added", changed: Set<string>) =>
    labels.length ? labels.map((l) => <LabelChip key={l} id={l} names={names} tone={changed.has(l) ? changedTone : "kept"} />) : <span className="text-xs text-slate-400">none</span>;
  return (
    <span className="flex flex-wrap items-center gap-1" data-testid="label-change">
      <span className="flex flex-wrap gap-1" data-testid="labels-before">{chips(before, "removed", removed)}</span>
      <span className="px-0.5 text-slate-400" aria-label="became">→</span>
      <span className="flex flex-wrap gap-1" data-testid="labels-after">{chips(after, "added", added)}</span>
    </span>
  );
}
