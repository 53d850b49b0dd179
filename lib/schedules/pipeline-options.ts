import { allPipelines, describePipeline, type JsonSchema } from "@/lib/pipelines/catalog";

// The pipelines a schedule can run, with an input to start the form from: the schema's defaults,
// plus an empty value for each required field without one (the form then says what to fill in).

export type PipelineOption = { name: string; title: string; description: string; defaultInput: Record<string, unknown>; inputSchema: JsonSchema };

function emptyValue(schema: JsonSchema | undefined): unknown {
  if (!schema) return "";
  if ("default" in schema) return schema.default;
  switch (schema.type) {
    case "number":
    case "integer":
      return 0;
    case "boolean":
      return false;
    case "array":
      return [];
    case "object":
      return {};
    default:
      return "";
  }
}

function skeleton(schema: JsonSchema): Record<string, unknown> {
  const properties = (schema.properties ?? {}) as Record<string, JsonSchema>;
  const required = new Set((schema.required ?? []) as string[]);
  const out: Record<string, unknown> = {};
  for (const [key, property] of Object.entries(properties)) {
    if ("default" in property || required.has(key)) out[key] = emptyValue(property);
  }
  return out;
}

export function schedulablePipelines(): PipelineOption[] {
  return allPipelines().map((pipeline) => {
    const description = describePipeline(pipeline);
    const defaults = pipeline.input.safeParse({});
    return {
      name: pipeline.name,
      title: pipeline.title,
      description: pipeline.description,
      inputSchema: description.inputSchema,
      defaultInput: defaults.success && defaults.data && typeof defaults.data === "object" ? (defaults.data as Record<string, unknown>) : skeleton(description.inputSchema),
    };
  });
}
