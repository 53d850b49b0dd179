"use client";

// The scope of an agent as form fields: a checkbox per pipeline and a comma-separated list of job kinds.

export type PipelineOption = { name: string; title: string };

export function ScopeFields({
  pipelines,
  selected,
  onToggle,
  jobKinds,
  onJobKinds,
}: {
  pipelines: PipelineOption[];
  selected: string[];
  onToggle: (name: string, on: boolean) => void;
  jobKinds: string;
  onJobKinds: (value: string) => void;
}) {
  return (
    <>
      <fieldset>
        <legend className="text-sm font-medium text-slate-700">Pipelines it may run</legend>
        <div className="mt-2 grid gap-1.5 sm:grid-cols-2">
          {pipelines.map((p) => (
            <label key={p.name} className="flex items-center gap-2 text-sm text-slate-700">
              <input type="checkbox" checked={selected.includes(p.name)} onChange={(e) => onToggle(p.name, e.target.checked)} />
              <span className="font-mono text-xs">{p.name}</span>
              <span className="text-slate-500">{p.title}</span>
            </label>
          ))}
        </div>
      </fieldset>
      <label className="block text-sm font-medium text-slate-700">
        Job kinds it may claim
        <input
          value={jobKinds}
          onChange={(e) => onJobKinds(e.target.value)}
          placeholder="inbox.reply-draft, content.draft"
          className="mt-1 block w-full rounded-lg border border-slate-300 px-3 py-2 font-mono text-sm"
        />
        <span className="mt-1 block text-xs font-normal text-slate-500">Comma-separated. Anything not listed is refused (403) and recorded.</span>
      </label>
    </>
  );
}

export function splitList(value: string): string[] {
  return value.split(",").map((s) => s.trim()).filter(Boolean);
}
