import { AppError, type FieldIssue } from "@/lib/errors";

// The input template of a subscription: how an event's payload becomes a pipeline's input.
//
//   A JSON object (or the single string "$"). Every string value that starts with "$" is a path
//   into the event payload and is replaced by the value found there:
//     "$"                 the whole payload
//     "$.a.b"             payload.a.b
//     "$.items[0].id"     the id of the first item
//     "$['odd key']"      a key that is not a plain identifier (also "$[\"odd key\"]")
//   "$$…" is a literal string starting with "$" (one "$" is dropped). Every other value is kept
//   as it is. A path the payload does not have is an error (the dispatch fails with its name)
//   rather than a silently missing field.
//
//   {"message": "$.commit.message", "tier": "full", "path": "$.file"}

export type PathSegment = string | number;

const MAX_TEMPLATE_CHARS = 20_000;
const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_-]*/;
const WHOLE_IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_-]*$/;

export class TemplateError extends AppError {
  constructor(message: string, issues?: FieldIssue[]) {
    super("validation_failed", message, issues ? { issues } : undefined);
    this.name = "TemplateError";
  }
}

/** Parses "$.a[0]['b c']" into ["a", 0, "b c"]; null when it is not a valid path. */
export function parsePath(expression: string): PathSegment[] | null {
  if (!expression.startsWith("$")) return null;
  const segments: PathSegment[] = [];
  let rest = expression.slice(1);
  while (rest.length > 0) {
    if (rest.startsWith(".")) {
      const name = IDENTIFIER.exec(rest.slice(1))?.[0];
      if (!name) return null;
      segments.push(name);
      rest = rest.slice(1 + name.length);
      continue;
    }
    const index = /^\[(\d{1,9})\]/.exec(rest);
    if (index) {
      segments.push(Number(index[1]));
      rest = rest.slice(index[0].length);
      continue;
    }
    const quoted = /^\[(?:'([^'\\]*)'|"([^"\\]*)")\]/.exec(rest);
    if (quoted) {
      segments.push(quoted[1] ?? quoted[2] ?? "");
      rest = rest.slice(quoted[0].length);
      continue;
    }
    return null;
  }
  return segments;
}

export function formatPath(segments: PathSegment[]): string {
  return segments.reduce<string>(
    (acc, s) => (typeof s === "number" ? `${acc}[${s}]` : WHOLE_IDENTIFIER.test(s) ? `${acc}.${s}` : `${acc}['${s}']`),
    "$",
  );
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function locationOf(where: PathSegment[]): string {
  return where.reduce<string>((acc, s) => (typeof s === "number" ? `${acc}[${s}]` : acc ? `${acc}.${s}` : s), "");
}

function collectIssues(value: unknown, where: PathSegment[], issues: FieldIssue[]): void {
  if (typeof value === "string") {
    if (value.startsWith("$") && !value.startsWith("$$") && parsePath(value) === null) {
      issues.push({
        path: locationOf(where),
        message: `"${value}" is not a payload path; write "$", "$.a.b", "$.items[0]" or "$['odd key']" (or "$$…" for a literal "$…")`,
      });
    }
  } else if (Array.isArray(value)) {
    value.forEach((item, i) => collectIssues(item, [...where, i], issues));
  } else if (isPlainObject(value)) {
    for (const [key, item] of Object.entries(value)) collectIssues(item, [...where, key], issues);
  }
}

/** Checks a template's syntax (not the payload); throws a 400 with one issue per bad path. */
export function validateInputTemplate(template: unknown): Record<string, unknown> | "$" {
  if (template === "$") return "$";
  if (!isPlainObject(template)) {
    throw new TemplateError('The input template must be a JSON object (or "$" for the whole payload)', [
      { path: "", message: "must be a JSON object" },
    ]);
  }
  if (JSON.stringify(template).length > MAX_TEMPLATE_CHARS) {
    throw new TemplateError(`The input template is too large (at most ${MAX_TEMPLATE_CHARS} characters)`);
  }
  const issues: FieldIssue[] = [];
  collectIssues(template, [], issues);
  if (issues.length > 0) {
    const first = issues[0]!;
    throw new TemplateError(`The input template is invalid (${first.path ? `${first.path}: ` : ""}${first.message})`, issues);
  }
  return template;
}

function lookup(payload: unknown, segments: PathSegment[], expression: string): unknown {
  let current: unknown = payload;
  for (let i = 0; i < segments.length; i++) {
    const segment = segments[i]!;
    const at = formatPath(segments.slice(0, i));
    if (typeof segment === "number") {
      if (!Array.isArray(current) || segment >= current.length) {
        throw new TemplateError(`${expression}: the payload has no item [${segment}] at ${at}`);
      }
      current = current[segment];
    } else {
      if (!isPlainObject(current) || !Object.hasOwn(current, segment)) {
        throw new TemplateError(`${expression}: the payload has no "${segment}" at ${at}`);
      }
      current = current[segment];
    }
  }
  return current;
}

function fill(value: unknown, payload: unknown): unknown {
  if (typeof value === "string") {
    if (value.startsWith("$$")) return value.slice(1);
    if (!value.startsWith("$")) return value;
    const segments = parsePath(value);
    if (!segments) throw new TemplateError(`"${value}" is not a payload path`);
    return lookup(payload, segments, value);
  }
  if (Array.isArray(value)) return value.map((item) => fill(item, payload));
  if (isPlainObject(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, fill(v, payload)]));
  return value;
}

/** The pipeline input for this payload; a TemplateError names the path the payload lacks. */
export function applyInputTemplate(template: unknown, payload: unknown): Record<string, unknown> {
  const valid = validateInputTemplate(template);
  const input = fill(valid, payload);
  if (!isPlainObject(input)) throw new TemplateError('The template "$" needs a payload that is a JSON object');
  return input;
}
