// Turns a pipeline's input JSON Schema (draft 2020-12, as zod generates it) into form fields, and
// form values back into the input object. The server validates with the pipeline's zod schema
// either way; this only has to produce the right shapes, and leaves optional blanks out so the
// pipeline's defaults apply.

export type JsonSchema = Record<string, unknown>;

type FieldBase = {
  name: string;
  label: string;
  required: boolean;
  /** The schema allows null (sent when a required field is left blank). */
  nullable: boolean;
  description?: string;
  default?: unknown;
};

export type Option = { label: string; value: unknown };

export type FormField =
  | (FieldBase & { kind: "text"; multiline: boolean; minLength?: number; maxLength?: number; format?: string })
  | (FieldBase & { kind: "number"; integer: boolean; minimum?: number; maximum?: number })
  | (FieldBase & { kind: "boolean" })
  | (FieldBase & { kind: "enum"; options: Option[] })
  | (FieldBase & { kind: "tags"; maxItems?: number; itemMaxLength?: number })
  | (FieldBase & { kind: "choices"; options: Option[]; maxItems?: number })
  | (FieldBase & { kind: "json" });

/** Text, numbers and JSON are edited as strings, booleans as booleans. */
export type FormValues = Record<string, string | boolean>;

const LONG_TEXT_NAMES = /^(body|content|text)$/i;
const LONG_TEXT_LENGTH = 200;

function isObject(value: unknown): value is JsonSchema {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

const num = (v: unknown) => (typeof v === "number" ? v : undefined);
const str = (v: unknown) => (typeof v === "string" ? v : undefined);

export function humanize(name: string): string {
  const words = name
    .replace(/([a-z0-9])([A-Z])/g, "$1 $2")
    .replace(/[_-]+/g, " ")
    .trim()
    .toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** Strips a `null` alternative (`type: [T, "null"]` or `anyOf: [S, {type: "null"}]`). */
function unwrapNullable(schema: JsonSchema): { schema: JsonSchema; nullable: boolean } {
  if (Array.isArray(schema.type) && schema.type.includes("null")) {
    const rest = schema.type.filter((t) => t !== "null");
    if (rest.length === 1) return { schema: { ...schema, type: rest[0] }, nullable: true };
  }
  const alternatives = Array.isArray(schema.anyOf) ? schema.anyOf : Array.isArray(schema.oneOf) ? schema.oneOf : null;
  if (alternatives?.length === 2) {
    const nonNull = alternatives.filter((s) => !(isObject(s) && s.type === "null"));
    if (nonNull.length === 1 && isObject(nonNull[0])) {
      const { anyOf: _a, oneOf: _o, ...outer } = schema;
      return { schema: { ...nonNull[0], ...outer }, nullable: true };
    }
  }
  return { schema, nullable: false };
}

function enumOptions(schema: JsonSchema): Option[] | null {
  const values = Array.isArray(schema.enum) ? schema.enum : "const" in schema ? [schema.const] : null;
  if (!values || values.length === 0) return null;
  if (!values.every((v) => ["string", "number", "boolean"].includes(typeof v))) return null;
  return values.map((value) => ({ label: String(value), value }));
}

function toField(name: string, raw: JsonSchema, required: boolean): FormField {
  const { schema, nullable } = unwrapNullable(raw);
  const base: FieldBase = {
    name,
    label: str(schema.title) ?? humanize(name),
    required,
    nullable,
    description: str(schema.description),
    default: schema.default,
  };
  const options = enumOptions(schema);
  if (options) return { ...base, kind: "enum", options };

  switch (schema.type) {
    case "string": {
      const maxLength = num(schema.maxLength);
      return {
        ...base,
        kind: "text",
        multiline: (maxLength ?? 0) > LONG_TEXT_LENGTH || LONG_TEXT_NAMES.test(name),
        minLength: num(schema.minLength),
        maxLength,
        format: str(schema.format),
      };
    }
    case "integer":
    case "number":
      return {
        ...base,
        kind: "number",
        integer: schema.type === "integer",
        minimum: num(schema.minimum) ?? num(schema.exclusiveMinimum),
        maximum: num(schema.maximum) ?? num(schema.exclusiveMaximum),
      };
    case "boolean":
      return { ...base, kind: "boolean" };
    case "array": {
      const items = isObject(schema.items) ? schema.items : null;
      const itemOptions = items ? enumOptions(items) : null;
      if (itemOptions) return { ...base, kind: "choices", options: itemOptions, maxItems: num(schema.maxItems) };
      if (items?.type === "string") {
        return { ...base, kind: "tags", maxItems: num(schema.maxItems), itemMaxLength: num(items.maxLength) };
      }
      return { ...base, kind: "json" };
    }
    default:
      return { ...base, kind: "json" };
  }
}

/** The fields for an object schema, in declaration order; null when the input is not an object of named fields. */
export function fieldsForSchema(schema: JsonSchema): FormField[] | null {
  if (schema.type !== "object" || !isObject(schema.properties)) return null;
  const required = new Set(Array.isArray(schema.required) ? schema.required.map(String) : []);
  return Object.entries(schema.properties).map(([name, property]) =>
    toField(name, isObject(property) ? property : {}, required.has(name)),
  );
}

function valueFor(field: FormField, value: unknown): string | boolean {
  switch (field.kind) {
    case "boolean":
      return value === true;
    case "text":
      return typeof value === "string" ? value : "";
    case "number":
      return typeof value === "number" ? String(value) : "";
    case "enum": {
      const index = field.options.findIndex((o) => o.value === value);
      return index >= 0 ? String(index) : "";
    }
    case "tags":
      return Array.isArray(value) ? value.map(String).join(", ") : "";
    case "choices":
      return Array.isArray(value)
        ? field.options.flatMap((o, i) => (value.includes(o.value) ? [String(i)] : [])).join(",")
        : "";
    case "json":
      return value === undefined ? "" : JSON.stringify(value, null, 2);
  }
}

/** The form as it first appears: each field at its default, or blank. */
export function initialValues(fields: FormField[]): FormValues {
  return Object.fromEntries(fields.map((f) => [f.name, valueFor(f, f.default)]));
}

function fits(field: FormField, value: unknown): boolean {
  if (value === null) return field.nullable;
  switch (field.kind) {
    case "boolean":
      return typeof value === "boolean";
    case "text":
      return typeof value === "string";
    case "number":
      return typeof value === "number" && Number.isFinite(value);
    case "enum":
      return field.options.some((o) => o.value === value);
    case "tags":
      return Array.isArray(value) && value.every((v) => typeof v === "string" && !v.includes(","));
    case "choices":
      return Array.isArray(value) && value.every((v) => field.options.some((o) => o.value === v));
    case "json":
      return true;
  }
}

/**
 * Loads an input object (from the JSON editor) into the form. Values the form cannot show as they
 * are (a number where text is expected, an unknown key) are reported instead, so the caller can
 * keep the JSON editor open rather than silently change what would be sent.
 */
export function valuesFromInput(fields: FormField[], input: Record<string, unknown>): { values: FormValues; problems: string[] } {
  const known = new Set(fields.map((f) => f.name));
  const problems = Object.keys(input)
    .filter((k) => !known.has(k))
    .map((k) => `${k} is not a field of this pipeline`);
  const values: FormValues = {};
  for (const field of fields) {
    const value = input[field.name];
    if (value !== undefined && !fits(field, value)) {
      problems.push(`${field.name}: ${JSON.stringify(value)} cannot be shown in this field`);
    }
    values[field.name] = valueFor(field, value === null ? undefined : value);
  }
  return { values, problems };
}

/**
 * Builds the input object from the form. Blank optional fields are left out (the pipeline's
 * default applies); values that cannot be read at all (not a number, broken JSON) come back as
 * errors by field name.
 */
export function inputFromValues(fields: FormField[], values: FormValues): { input: Record<string, unknown>; errors: Record<string, string> } {
  const input: Record<string, unknown> = {};
  const errors: Record<string, string> = {};
  const blank = (field: FormField) => {
    if (!field.required) return;
    const empty = field.kind === "text" ? "" : field.kind === "tags" || field.kind === "choices" ? [] : undefined;
    input[field.name] = field.nullable ? null : empty;
  };
  for (const field of fields) {
    const raw = values[field.name];
    if (field.kind === "boolean") {
      input[field.name] = raw === true;
      continue;
    }
    const text = typeof raw === "string" ? raw : "";
    if (text.trim() === "" && field.kind !== "text") {
      blank(field);
      continue;
    }
    switch (field.kind) {
      case "text":
        if (text === "") blank(field);
        else input[field.name] = text;
        break;
      case "number": {
        const value = Number(text.trim());
        if (!Number.isFinite(value)) errors[field.name] = "must be a number";
        else if (field.integer && !Number.isInteger(value)) errors[field.name] = "must be a whole number";
        else input[field.name] = value;
        break;
      }
      case "enum":
        input[field.name] = field.options[Number(text)]?.value;
        break;
      case "tags":
        input[field.name] = text.split(/[,\n]/).map((t) => t.trim()).filter(Boolean);
        break;
      case "choices":
        input[field.name] = text.split(",").map((i) => field.options[Number(i)]?.value).filter((v) => v !== undefined);
        break;
      case "json":
        try {
          input[field.name] = JSON.parse(text);
        } catch {
          errors[field.name] = "is not valid JSON";
        }
        break;
    }
  }
  for (const key of Object.keys(input)) if (input[key] === undefined) delete input[key];
  return { input, errors };
}

/** The field an issue path (`tags[2]`, `filter.from`) belongs to. */
export function fieldOfIssue(path: string): string {
  return path.split(/[.[]/)[0] ?? "";
}
