import { JsonView } from "@/components/runs/json-view";
import type { JsonSchema } from "@/lib/pipelines/catalog";

// A collapsible JSON Schema, closed by default.
export function SchemaPanel({ title, schema }: { title: string; schema: JsonSchema }) {
  const properties = typeof schema.properties === "object" && schema.properties ? Object.keys(schema.properties) : [];
  return (
    <details className="group">
      <summary className="flex cursor-pointer list-none items-center justify-between gap-3 px-5 py-3 text-sm font-medium text-slate-700 hover:bg-slate-50 [&::-webkit-details-marker]:hidden">
        <span>
          {title}
          {properties.length ? <span className="ml-2 font-normal text-slate-400">{properties.join(", ")}</span> : null}
        </span>
        <svg viewBox="0 0 20 20" className="h-4 w-4 shrink-0 text-slate-400 transition-transform group-open:rotate-180" fill="currentColor" aria-hidden="true">
          <path d="M5.3 7.3a1 1 0 0 1 1.4 0L10 10.6l3.3-3.3a1 1 0 1 1 1.4 1.4l-4 4a1 1 0 0 1-1.4 0l-4-4a1 1 0 0 1 0-1.4z" />
        </svg>
      </summary>
      <div className="px-5 pb-4">
        <JsonView value={schema} label="JSON Schema" maxHeight="max-h-80" />
      </div>
    </details>
  );
}
