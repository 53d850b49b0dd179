"use client";

// The scope of an agent as form fields: a checkbox per pipeline and a checkbox per job kind, both
// from their registries, so a scope can only name things that exist.

export type PipelineOption = { name: string; title: string };
export type JobKindOption = { name: string; title: string };

function CheckboxList({
  legend,
  hint,
  options,
  selected,
  onToggle,
}: {
  legend: string;
  hint?: string;
  options: { name: string; title: string }[];
  selected: string[];
  onToggle: (name: string, on: boolean) => void;
}) {
  return (
    <fieldset>
      <legend className="text-sm font-medium text-slate-700">{legend}</legend>
      <div className="mt-2 grid gap-1.5 sm:grid-cols-2">
        {options.map((option) => (
          <label key={option.name} className="flex min-w-0 items-center gap-2 text-sm text-slate-700">
            <input type="checkbox" checked={selected.includes(option.name)} onChange={(e) => onToggle(option.name, e.target.checked)} />
            <span className="font-mono text-xs">{option.name}</span>
            <span className="min-w-0 truncate text-slate-500">{option.title}</span>
          </label>
        ))}
      </div>
      {hint ? <p className="mt-1 text-xs text-slate-500">{hint}</p> : null}
    </fieldset>
  );
}

export function ScopeFields({
  pipelines,
  selected,
  onToggle,
  jobKindOptions,
  jobKinds,
  onJobKind,
}: {
  pipelines: PipelineOption[];
  selected: string[];
  onToggle: (name: string, on: boolean) => void;
  jobKindOptions: JobKindOption[];
  jobKinds: string[];
  onJobKind: (name: string, on: boolean) => void;
}) {
  return (
    <>
      <CheckboxList legend="Pipelines it may run" options={pipelines} selected={selected} onToggle={onToggle} />
      <CheckboxList
        legend="Job kinds it may claim"
        hint="Anything not ticked is refused (403) and recorded."
        options={jobKindOptions}
        selected={jobKinds}
        onToggle={onJobKind}
      />
    </>
  );
}

/** Adds or removes one name from a selection, keeping the order it was picked in. */
export function toggled(list: string[], name: string, on: boolean): string[] {
  return on ? (list.includes(name) ? list : [...list, name]) : list.filter((x) => x !== name);
}

/** Issues as one line each, "field: message", for a form's alert. */
export function describeIssues(message: string, issues: { path: string; message: string }[] | undefined): string {
  if (!issues?.length) return message;
  return issues.map((issue) => (issue.path ? `${issue.path} ${issue.message}` : issue.message)).join("; ");
}
