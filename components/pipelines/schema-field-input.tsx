"use client";

import type { FormField } from "@/components/pipelines/schema-fields";

// One generated form control, with its label, help text and error.

const inputClass = (invalid: boolean, extra = "") =>
  `block w-full rounded-lg border bg-white px-3 py-2 text-sm text-slate-900 shadow-sm placeholder:text-slate-400 focus:outline-none focus:ring-2 ${
    invalid ? "border-rose-400 focus:ring-rose-100" : "border-slate-300 focus:border-brand-500 focus:ring-brand-100"
  } ${extra}`;

function defaultText(field: FormField): string | null {
  if (field.default === undefined || field.default === "") return null;
  if (field.kind === "boolean") return field.default ? "on" : "off";
  if (Array.isArray(field.default)) return field.default.length ? field.default.join(", ") : "none";
  return typeof field.default === "string" ? `“${field.default}”` : JSON.stringify(field.default);
}

function constraints(field: FormField): string | null {
  switch (field.kind) {
    case "number": {
      const what = field.integer ? "Whole number" : "Number";
      if (field.minimum !== undefined && field.maximum !== undefined) return `${what} from ${field.minimum} to ${field.maximum}`;
      if (field.minimum !== undefined) return `${what}, at least ${field.minimum}`;
      if (field.maximum !== undefined) return `${what}, at most ${field.maximum}`;
      return what;
    }
    case "tags":
      return ["Separate with commas", field.maxItems !== undefined ? `up to ${field.maxItems}` : null, field.itemMaxLength ? `each up to ${field.itemMaxLength} characters` : null]
        .filter(Boolean)
        .join(", ");
    case "choices":
      return field.maxItems !== undefined ? `Pick up to ${field.maxItems}` : null;
    case "json":
      return "JSON value";
    case "text":
      return field.format === "date-time" ? "ISO 8601 date and time, e.g. 2025-01-31T09:00:00Z" : field.format ? `Format: ${field.format}` : null;
    default:
      return null;
  }
}

export function SchemaFieldInput({
  field,
  value,
  error,
  onChange,
}: {
  field: FormField;
  value: string | boolean;
  error?: string;
  onChange(value: string | boolean): void;
}) {
  const id = `field-${field.name}`;
  const helpId = `${id}-help`;
  const text = typeof value === "string" ? value : "";
  const invalid = Boolean(error);
  const fallback = defaultText(field);
  const describe = [field.description, constraints(field), !field.required && fallback ? `Default ${fallback}` : null].filter(Boolean);
  const common = { id, "aria-invalid": invalid || undefined, "aria-describedby": helpId };

  if (field.kind === "boolean") {
    return (
      <div data-field={field.name}>
        <label htmlFor={id} className="flex items-start gap-3">
          <input {...common} type="checkbox" checked={value === true} onChange={(e) => onChange(e.target.checked)} className="mt-0.5 h-4 w-4 rounded border-slate-300 text-brand-600 focus:ring-brand-500" />
          <span>
            <span className="block text-sm font-medium text-slate-700">{field.label}</span>
            <FieldHelp id={helpId} error={error} lines={describe} />
          </span>
        </label>
      </div>
    );
  }

  let control: React.ReactNode;
  switch (field.kind) {
    case "text":
      control = field.multiline ? (
        <textarea {...common} name={field.name} rows={field.maxLength === undefined || field.maxLength > 2000 ? 8 : 3} value={text} onChange={(e) => onChange(e.target.value)} className={inputClass(invalid, "resize-y")} />
      ) : (
        <input {...common} name={field.name} type="text" value={text} onChange={(e) => onChange(e.target.value)} className={inputClass(invalid)} />
      );
      break;
    case "number":
      control = (
        <input {...common} name={field.name} type="text" inputMode={field.integer ? "numeric" : "decimal"} value={text} onChange={(e) => onChange(e.target.value)} className={inputClass(invalid, "max-w-48 tabular-nums")} />
      );
      break;
    case "enum":
      control = (
        <select {...common} name={field.name} value={text} onChange={(e) => onChange(e.target.value)} className={inputClass(invalid, "max-w-sm")}>
          {field.required && field.default === undefined ? <option value="" disabled>Choose…</option> : null}
          {!field.required ? <option value="">{fallback ? `Default (${field.options.find((o) => o.value === field.default)?.label ?? fallback})` : "Not set"}</option> : null}
          {field.options.map((o, i) => (
            <option key={o.label} value={String(i)}>{o.label}</option>
          ))}
        </select>
      );
      break;
    case "tags": {
      const tags = text.split(/[,\n]/).map((t) => t.trim()).filter(Boolean);
      control = (
        <>
          <input {...common} name={field.name} type="text" value={text} placeholder="one, two, three" onChange={(e) => onChange(e.target.value)} className={inputClass(invalid)} />
          {tags.length ? (
            <div className="mt-2 flex flex-wrap gap-1.5" aria-hidden="true">
              {tags.map((t, i) => (
                <span key={`${t}-${i}`} className="rounded-md bg-brand-50 px-2 py-0.5 text-xs font-medium text-brand-700 ring-1 ring-inset ring-brand-100">{t}</span>
              ))}
            </div>
          ) : null}
        </>
      );
      break;
    }
    case "choices": {
      const selected = new Set(text.split(",").filter(Boolean));
      control = (
        <div {...common} role="group" className="flex flex-wrap gap-x-5 gap-y-2 pt-1">
          {field.options.map((o, i) => (
            <label key={o.label} className="flex items-center gap-2 text-sm text-slate-700">
              <input
                type="checkbox"
                checked={selected.has(String(i))}
                onChange={(e) => {
                  const next = new Set(selected);
                  if (e.target.checked) next.add(String(i));
                  else next.delete(String(i));
                  onChange([...next].sort((a, b) => Number(a) - Number(b)).join(","));
                }}
                className="h-4 w-4 rounded border-slate-300 text-brand-600 focus:ring-brand-500"
              />
              {o.label}
            </label>
          ))}
        </div>
      );
      break;
    }
    case "json":
      control = (
        <textarea {...common} name={field.name} rows={4} spellCheck={false} value={text} onChange={(e) => onChange(e.target.value)} className={inputClass(invalid, "resize-y font-mono text-xs")} />
      );
      break;
  }

  const counter = field.kind === "text" && field.maxLength !== undefined ? { length: text.length, max: field.maxLength } : null;
  return (
    <div data-field={field.name}>
      <div className="mb-1 flex items-baseline justify-between gap-3">
        <label htmlFor={id} className="text-sm font-medium text-slate-700">
          {field.label}
          {field.required ? <span className="ml-0.5 text-rose-600" aria-hidden="true">*</span> : <span className="ml-1.5 text-xs font-normal text-slate-400">optional</span>}
        </label>
        <span className="font-mono text-[11px] text-slate-400">{field.name}</span>
      </div>
      {control}
      <div className="flex items-start justify-between gap-3">
        <FieldHelp id={helpId} error={error} lines={describe} />
        {counter ? (
          <span className={`mt-1 shrink-0 text-xs tabular-nums ${counter.length > counter.max ? "font-medium text-rose-700" : "text-slate-400"}`}>
            {counter.length.toLocaleString("en")} / {counter.max.toLocaleString("en")}
          </span>
        ) : null}
      </div>
    </div>
  );
}

function FieldHelp({ id, error, lines }: { id: string; error?: string; lines: unknown[] }) {
  if (error) {
    return (
      <p id={id} data-testid="field-error" className="mt-1 text-xs text-rose-700">
        {error}
      </p>
    );
  }
  if (lines.length === 0) return <span id={id} />;
  return (
    <p id={id} className="mt-1 text-xs text-slate-500">
      {lines.join(" · ")}
    </p>
  );
}
