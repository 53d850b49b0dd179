import { z } from "zod";

// One humane message per problem, phrased to follow the field's name ("title must not be empty"),
// for every zod schema in the app. Messages a schema spells out itself (.regex(…, "must be …"))
// still win; this replaces zod's defaults such as "Too small: expected string to have >=1 characters".

type Issue = z.core.$ZodRawIssue;

const TYPE_NAMES: Record<string, string> = {
  string: "text",
  number: "a number",
  int: "a whole number",
  bigint: "a whole number",
  boolean: "true or false",
  object: "an object",
  array: "a list",
  date: "a date",
  record: "an object",
  null: "empty",
};

function typeOf(input: unknown): string {
  if (input === null) return "null";
  if (Array.isArray(input)) return "a list";
  if (typeof input === "number") return Number.isNaN(input) ? "not a number" : "a number";
  if (typeof input === "string") return "text";
  if (typeof input === "boolean") return "true or false";
  if (typeof input === "object") return "an object";
  return typeof input;
}

function plural(count: number | bigint, one: string, many = `${one}s`): string {
  return `${count} ${Number(count) === 1 ? one : many}`;
}

function unitOf(origin: string | undefined): [string, string] {
  switch (origin) {
    case "string":
      return ["character", "characters"];
    case "array":
    case "set":
      return ["item", "items"];
    case "file":
      return ["byte", "bytes"];
    default:
      return ["", ""];
  }
}

function sizeMessage(issue: { origin?: string; inclusive?: boolean; exact?: boolean }, bound: number | bigint | Date, direction: "min" | "max"): string {
  if (bound instanceof Date) return `must be ${direction === "min" ? "on or after" : "on or before"} ${bound.toISOString()}`;
  const [one, many] = unitOf(issue.origin);
  if (one) {
    if (direction === "min" && Number(bound) === 1 && issue.inclusive !== false) {
      return issue.origin === "string" ? "must not be empty" : "must have at least one item";
    }
    const count = plural(bound, one, many);
    if (issue.exact) return `must be exactly ${count}`;
    return direction === "min" ? `must be at least ${count}` : `must be at most ${count}`;
  }
  if (issue.exact) return `must be ${bound}`;
  if (direction === "min") return issue.inclusive === false ? `must be more than ${bound}` : `must be ${bound} or more`;
  return issue.inclusive === false ? `must be less than ${bound}` : `must be ${bound} or less`;
}

const FORMAT_NAMES: Record<string, string> = {
  email: "an email address",
  url: "a URL",
  uuid: "a UUID",
  datetime: "a date and time (ISO 8601, e.g. 2026-01-31T09:00:00Z)",
  date: "a date (YYYY-MM-DD)",
  time: "a time (HH:MM)",
  ipv4: "an IPv4 address",
  ipv6: "an IPv6 address",
  base64: "base64 text",
  base64url: "base64url text",
  ulid: "a ULID",
};

function list(values: readonly unknown[]): string {
  const shown = values.slice(0, 8).map((v) => (typeof v === "string" ? `"${v}"` : String(v)));
  return values.length > 8 ? `${shown.join(", ")}, …` : shown.join(", ");
}

export function humaneMessage(issue: Issue): string | undefined {
  switch (issue.code) {
    case "invalid_type":
      if (issue.input === undefined) return "is required";
      return `must be ${TYPE_NAMES[issue.expected] ?? issue.expected} (got ${typeOf(issue.input)})`;
    case "too_small":
      return sizeMessage(issue, issue.minimum, "min");
    case "too_big":
      return sizeMessage(issue, issue.maximum, "max");
    case "invalid_format":
      if (issue.format === "regex") return "is not in the expected format";
      if (issue.format === "starts_with") return `must start with "${(issue as { prefix?: string }).prefix ?? ""}"`;
      if (issue.format === "ends_with") return `must end with "${(issue as { suffix?: string }).suffix ?? ""}"`;
      if (issue.format === "includes") return `must contain "${(issue as { includes?: string }).includes ?? ""}"`;
      return `must be ${FORMAT_NAMES[issue.format] ?? `a valid ${issue.format}`}`;
    case "invalid_value":
      return issue.values.length === 1 ? `must be ${list(issue.values)}` : `must be one of ${list(issue.values)}`;
    case "not_multiple_of":
      return `must be a multiple of ${issue.divisor}`;
    case "unrecognized_keys":
      return `has ${issue.keys.length === 1 ? "a field" : "fields"} it does not know: ${list(issue.keys)}`;
    case "invalid_union":
      return "does not match any of the accepted forms";
    case "invalid_key":
      return "has a key that is not allowed";
    case "invalid_element":
      return "has an item that is not valid";
    default:
      return undefined;
  }
}

let installed = false;

/** Makes humaneMessage zod's message for every issue a schema does not word itself. Idempotent. */
export function installErrorMap(): void {
  if (installed) return;
  installed = true;
  z.config({ customError: (issue) => humaneMessage(issue) });
}

installErrorMap();
