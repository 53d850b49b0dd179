import { isDeepStrictEqual } from "node:util";
import { z } from "zod";
import type { JsonSchema } from "@/lib/pipelines/catalog";

// zod → JSON Schema for the OpenAPI document. Schemas that carry `.meta({ id })` come out of
// z.toJSONSchema as `$defs`; they are hoisted into components.schemas and referenced from there,
// so `Run` is written once however many responses contain it.

export type SchemaIo = "input" | "output";

const DEFS_PREFIX = "#/$defs/";
const COMPONENTS_PREFIX = "#/components/schemas/";

/**
 * The same conversion as the pipeline catalog's toJsonSchema, except that dates (only query
 * strings have them, as z.coerce.date()) are documented as the ISO 8601 strings they are sent as.
 */
export function zodToJsonSchema(schema: z.ZodType, io: SchemaIo): JsonSchema {
  return z.toJSONSchema(schema, {
    target: "draft-2020-12",
    io,
    unrepresentable: "any",
    override(ctx) {
      if (ctx.zodSchema._zod.def.type === "date") Object.assign(ctx.jsonSchema, { type: "string", format: "date-time" });
    },
  }) as JsonSchema;
}

function rewriteRefs(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(rewriteRefs);
  if (!value || typeof value !== "object") return value;
  return Object.fromEntries(
    Object.entries(value).map(([key, inner]) =>
      key === "$ref" && typeof inner === "string" && inner.startsWith(DEFS_PREFIX)
        ? [key, COMPONENTS_PREFIX + inner.slice(DEFS_PREFIX.length)]
        : [key, rewriteRefs(inner)],
    ),
  );
}

export type SchemaComponents = {
  /** components.schemas, filled as schemas are converted. */
  readonly schemas: Record<string, JsonSchema>;
  /** The JSON Schema for `schema`, with named parts replaced by $refs into components. */
  convert(schema: z.ZodType, io: SchemaIo): JsonSchema;
};

export function createSchemaComponents(): SchemaComponents {
  const schemas: Record<string, JsonSchema> = {};
  const firstSeenAs = new Map<string, SchemaIo>();

  return {
    schemas,
    convert(schema, io) {
      // The dialect is declared once for the whole document (jsonSchemaDialect).
      const { $schema: _dialect, $defs, ...root } = zodToJsonSchema(schema, io);
      for (const [id, definition] of Object.entries(($defs ?? {}) as Record<string, JsonSchema>)) {
        const hoisted = rewriteRefs(definition) as JsonSchema;
        const existing = schemas[id];
        if (existing && !isDeepStrictEqual(existing, hoisted)) {
          // e.g. a schema with defaults or transforms used both as a request (input) and a response (output).
          throw new Error(
            `The schema with id "${id}" converts differently as ${firstSeenAs.get(id)} and as ${io}; give one of them its own id`,
          );
        }
        schemas[id] = hoisted;
        if (!firstSeenAs.has(id)) firstSeenAs.set(id, io);
      }
      return rewriteRefs(root) as JsonSchema;
    },
  };
}
