import fc from "fast-check";
import type { OpenApiDocument, Operation, Parameter, Reference } from "@/lib/openapi/types";
import type { JsonSchema } from "@/lib/pipelines/catalog";

// Generated bad input for any operation of the OpenAPI document, shared by the in-process fuzz test
// (tests/integration/api-fuzz.test.ts) and its slice against the built server (tests/e2e/api-fuzz.test.ts):
// bodies of the wrong type, with fields missing or extra, huge, with NUL and lone surrogates, nested
// deeper than anyone should; odd path ids and query values; the wrong content type; who is asking.

export type Identity = "nobody" | "agent" | "owner";
export type Auth = "public" | "agent" | "session";

export type FuzzRequest = {
  identity: Identity;
  params: Record<string, string>;
  /** "" or "?…", already percent-encoded (sometimes wrongly, on purpose). */
  query: string;
  contentType: string | null;
  body: string | null;
  /** Sends Sec-Fetch-Site: same-origin, without which a session's write is refused before anything else. */
  sameOrigin: boolean;
  bearer: "valid" | "garbage" | "none";
};

/** The auth an operation of the document takes. */
export function authOf(op: Operation): Auth {
  return op.security?.length === 0 ? "public" : op.security?.some((s) => "bearerAuth" in s) ? "agent" : "session";
}

/** 5xx is a bug, except 503 "unavailable": an integration this instance has not configured. */
export function acceptable(answer: { status: number; code?: string }): boolean {
  return answer.status < 500 || (answer.status === 503 && answer.code === "unavailable");
}

/** The path with the request's ids in it, and its query. */
export function urlOf(template: string, request: FuzzRequest): string {
  return template.replace(/\{(\w+)\}/g, (_, name: string) => encodeURIComponent(request.params[name]!.toWellFormed())) + request.query;
}

/** Requests sent and statuses seen, per kind of route and caller, printed as a table. */
export class FuzzTally {
  private readonly rows = new Map<string, { requests: number; statuses: Map<number, number> }>();

  count(auth: Auth, method: string, identity: Identity, status: number): void {
    const key = `${auth} route as ${identity}`.padEnd(26) + (method === "GET" ? "reads" : "writes");
    const row = this.rows.get(key) ?? { requests: 0, statuses: new Map() };
    row.requests++;
    row.statuses.set(status, (row.statuses.get(status) ?? 0) + 1);
    this.rows.set(key, row);
  }

  get total(): number {
    return [...this.rows.values()].reduce((sum, row) => sum + row.requests, 0);
  }

  summary(title: string): string {
    const lines = [...this.rows.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([key, { requests, statuses }]) => {
        const seen = [...statuses.entries()].sort(([a], [b]) => a - b).map(([status, n]) => `${status}×${n}`).join(" ");
        return `  ${key.padEnd(34)} ${String(requests).padStart(5)}  ${seen}`;
      });
    return `${title}: ${this.total} requests\n${lines.join("\n")}`;
  }
}

const HUGE = "x".repeat(100_000);
const TOO_BIG_BODY = JSON.stringify({ input: { message: "y".repeat(1_100_000) } });

function nested(depth: number, leaf: unknown = 1): unknown {
  let value = leaf;
  for (let i = 0; i < depth; i++) value = i % 2 ? [value] : { a: value };
  return value;
}

const nastyString = fc.oneof(
  fc.string(),
  fc.string({ unit: "binary", maxLength: 20 }),
  fc.constantFrom("", " ", "\u0000", "a\u0000b", "\ud800", "x\udfffy", "\ufeff", "💥", "null", "true", "-1", "1e309", "NaN", "__proto__", "constructor"),
  fc.constantFrom(HUGE, "../../../etc/passwd", "%00", "%ED%A0%80", "' OR 1=1 --", "<script>alert(1)</script>", "run_00000000000000000000000000"),
);

const nastyValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 4, arbitrary: nastyString },
  { weight: 2, arbitrary: fc.oneof(fc.integer(), fc.double(), fc.boolean(), fc.constant(null), fc.constantFrom(Number.MAX_SAFE_INTEGER, -0, 1e300)) },
  { weight: 1, arbitrary: fc.constantFrom(nested(70), nested(500), nested(3), [], {}, [[[]]], { __proto__: { admin: true } }) },
  { weight: 2, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
  { weight: 1, arbitrary: fc.array(nastyString, { maxLength: 5 }) },
);

const nastyId = fc.oneof(
  nastyString,
  fc.constantFrom("missing", "run_", "job_zzzzzzzzzzzzzzzzzzzzzzzzzz", "0", "-1", "99999999999999999999999", "a/b", "..", "%2e%2e", "\\", "system.echo"),
);

/** The JSON Schema of an operation's body, through a $ref. */
function bodySchema(document: OpenApiDocument, op: Operation): JsonSchema | undefined {
  const media = op.requestBody?.content["application/json"] ?? Object.values(op.requestBody?.content ?? {})[0];
  return media?.schema && resolve(document, media.schema);
}

function resolve(document: OpenApiDocument, schema: JsonSchema): JsonSchema {
  return typeof schema.$ref === "string" ? (document.components.schemas[schema.$ref.split("/").pop()!] ?? {}) : schema;
}

/**
 * Values that match `schema` (roughly: patterns, formats and bounds are followed where fast-check
 * can), so a request gets past validation into the service with odd but valid input.
 */
function validValue(document: OpenApiDocument, raw: JsonSchema, depth = 0): fc.Arbitrary<unknown> {
  const schema = resolve(document, raw);
  if (depth > 6) return fc.constant(null);
  const next = (s: unknown) => validValue(document, (s ?? {}) as JsonSchema, depth + 1);
  if ("const" in schema) return fc.constant(schema.const);
  if (Array.isArray(schema.enum)) return fc.constantFrom(...(schema.enum as unknown[]));
  for (const key of ["anyOf", "oneOf"]) if (Array.isArray(schema[key])) return fc.oneof(...(schema[key] as unknown[]).map(next));
  if (Array.isArray(schema.allOf)) return next(schema.allOf[0]);
  if (Array.isArray(schema.type)) return fc.oneof(...schema.type.map((type) => next({ ...schema, type })));
  const min = (key: string, fallback: number) => (typeof schema[key] === "number" ? (schema[key] as number) : fallback);
  switch (schema.type) {
    case "string": {
      if (typeof schema.pattern === "string") return fc.stringMatching(new RegExp(schema.pattern)).filter((v) => v.length <= min("maxLength", 10_000));
      if (schema.format === "date-time") return fc.date({ noInvalidDate: true, min: new Date(0), max: new Date(4e12) }).map((d) => d.toISOString());
      const minLength = min("minLength", 0);
      return fc.oneof(
        fc.string({ minLength, maxLength: Math.max(minLength, Math.min(min("maxLength", 40), 40)) }),
        fc.constant("x".repeat(Math.max(minLength, Math.min(min("maxLength", 5000), 5000)))),
      );
    }
    case "integer":
      return fc.integer({ min: Math.max(min("minimum", -1e9), -1e9), max: Math.min(min("maximum", 1e9), 1e9) });
    case "number":
      return fc.double({ min: Math.max(min("minimum", -1e9), -1e9), max: Math.min(min("maximum", 1e9), 1e9), noNaN: true });
    case "boolean":
      return fc.boolean();
    case "null":
      return fc.constant(null);
    case "array":
      return fc.array(next(schema.items), { minLength: min("minItems", 0), maxLength: Math.max(min("minItems", 0), Math.min(min("maxItems", 3), 3)) });
    case "object": {
      const properties = (schema.properties ?? {}) as Record<string, JsonSchema>;
      if (!Object.keys(properties).length) return fc.jsonValue({ maxDepth: 2 }).map((v) => (v && typeof v === "object" && !Array.isArray(v) ? v : {}));
      const requiredKeys = ((schema.required ?? []) as string[]).filter((k) => k in properties);
      return fc.record(Object.fromEntries(Object.entries(properties).map(([k, v]) => [k, next(v)])), { requiredKeys });
    }
    default:
      return fc.jsonValue({ maxDepth: 2 });
  }
}

function parameters(op: Operation, where: "path" | "query"): Parameter[] {
  return (op.parameters ?? []).flatMap((p: Parameter | Reference) => ("in" in p && p.in === where ? [p] : []));
}

/**
 * A body near the documented one (its fields, some missing, some extra, all with bad values), or
 * none of it; with `validBodies`, also bodies that match the schema, whole or with one field spoiled.
 */
function bodyArbitrary(document: OpenApiDocument, op: Operation, validBodies: boolean): fc.Arbitrary<string> {
  const schema = bodySchema(document, op);
  const names = Object.keys((schema?.properties as Record<string, unknown> | undefined) ?? {});
  const valid = schema ? validValue(document, schema) : fc.constant({});
  const spoiled = fc
    .tuple(valid, names.length ? fc.constantFrom(...names) : fc.constant("x"), nastyValue)
    .map(([value, key, bad]) => (value && typeof value === "object" && !Array.isArray(value) ? { ...value, [key]: bad } : value));
  const nearShape = fc
    .record({
      known: fc.subarray(names).chain((keys) => fc.tuple(...keys.map((key) => fc.tuple(fc.constant(key), nastyValue)))),
      extra: fc.dictionary(fc.string({ maxLength: 8 }), nastyValue, { maxKeys: 3 }),
    })
    .map(({ known, extra }) => JSON.stringify({ ...extra, ...Object.fromEntries(known) }));
  const matching = [
    { weight: 4, arbitrary: valid.map((value) => JSON.stringify(value) ?? "null") },
    { weight: 3, arbitrary: spoiled.map((value) => JSON.stringify(value) ?? "null") },
  ];
  return fc.oneof(
    ...(validBodies ? matching : []),
    { weight: 5, arbitrary: nearShape },
    { weight: 2, arbitrary: nastyValue.map((value) => JSON.stringify(value) ?? "null") },
    {
      weight: 2,
      arbitrary: fc.constantFrom(
        "",
        "{",
        "not json",
        '{"a":1,}',
        "[1,2",
        "1e999999",
        '"\\ud800"',
        '{"input":"\\u0000"}',
        '{"a":"\\udc00\\ud800"}',
        "\u0000",
        "[".repeat(10_000) + "]".repeat(10_000),
        `{"a":${"[".repeat(100_000)}`,
        TOO_BIG_BODY,
      ),
    },
  );
}

/** A query of documented and made-up keys, each with a bad value or (for documented ones) a valid one. */
function queryArbitrary(document: OpenApiDocument, op: Operation): fc.Arbitrary<string> {
  const bad = fc.oneof(
    nastyString.filter((s) => s.length < 5000).map((s) => encodeURIComponent(s.toWellFormed())),
    fc.constantFrom("%00", "%ED%A0%80", "%FF", "%", "-1", "1e999", "2026-13-45", "a,b,,c", HUGE.slice(0, 8000)),
  );
  const asQueryValue = (value: unknown) =>
    encodeURIComponent((Array.isArray(value) ? value.join(",") : typeof value === "string" ? value : JSON.stringify(value) ?? "").toWellFormed());
  const documented = parameters(op, "query").map((p) =>
    fc.tuple(fc.constant(p.name), fc.oneof(bad, validValue(document, p.schema).map(asQueryValue))),
  );
  const madeUp = fc.tuple(fc.constantFrom("cursor", "limit", "zzz", "__proto__"), bad);
  return fc
    .array(fc.oneof(madeUp, ...documented), { maxLength: 5 })
    .map((pairs) => (pairs.length ? "?" + pairs.map(([k, v]) => `${k}=${v}`).join("&") : ""));
}

// Mostly JSON, so most bodies reach validation; the rest must be refused with a 415.
const contentTypes = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom("application/json", "application/json; charset=utf-8", "application/problem+json") },
  {
    weight: 4,
    arbitrary: fc.constantFrom(
      "text/plain",
      "text/plain; application/json",
      "application/x-www-form-urlencoded",
      "multipart/form-data; boundary=zzz",
      "application/xml",
      null,
    ),
  },
);

/**
 * Requests for `op`, mostly as the identity it takes so the input reaches its validation; path ids
 * are sometimes one of `knownIds`, so some requests get past the lookup to what comes after it.
 * `validBodies` adds bodies that pass validation: they change things, so not on a shared server.
 */
export function requestArbitrary(
  document: OpenApiDocument,
  target: { method: string; op: Operation },
  options: { knownIds?: string[]; validBodies?: boolean } = {},
): fc.Arbitrary<FuzzRequest> {
  const { knownIds = [], validBodies = false } = options;
  const auth = authOf(target.op);
  const write = !["GET", "HEAD"].includes(target.method);
  const pathParams = parameters(target.op, "path").map((p) => p.name);
  const id = knownIds.length ? fc.oneof(nastyId, fc.constantFrom(...knownIds)) : nastyId;
  return fc.record({
    identity: fc.oneof(
      { weight: 3, arbitrary: fc.constant<Identity>(auth === "agent" ? "agent" : auth === "session" ? "owner" : "nobody") },
      { weight: 1, arbitrary: fc.constantFrom<Identity>("nobody", "agent", "owner") },
    ),
    params: fc.record(Object.fromEntries(pathParams.map((name) => [name, id]))),
    query: queryArbitrary(document, target.op),
    contentType: write ? contentTypes : fc.constant(null),
    body: write ? bodyArbitrary(document, target.op, validBodies) : fc.constant(null),
    sameOrigin: fc.oneof({ weight: 4, arbitrary: fc.constant(true) }, { weight: 1, arbitrary: fc.constant(false) }),
    bearer: fc.constantFrom("valid", "valid", "garbage", "none"),
  }) as fc.Arbitrary<FuzzRequest>;
}
