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

/** Property names of an operation's JSON body (one level, through a $ref). */
function bodyProperties(document: OpenApiDocument, op: Operation): string[] {
  const media = op.requestBody?.content["application/json"] ?? Object.values(op.requestBody?.content ?? {})[0];
  let schema = media?.schema as JsonSchema | undefined;
  if (typeof schema?.$ref === "string") schema = document.components.schemas[schema.$ref.split("/").pop()!];
  return Object.keys((schema?.properties as Record<string, unknown> | undefined) ?? {});
}

function parameters(op: Operation, where: "path" | "query"): Parameter[] {
  return (op.parameters ?? []).flatMap((p: Parameter | Reference) => ("in" in p && p.in === where ? [p] : []));
}

/** A body near the documented one (its fields, some missing, some extra, all with bad values), or none of it. */
function bodyArbitrary(document: OpenApiDocument, op: Operation): fc.Arbitrary<string> {
  const names = bodyProperties(document, op);
  const nearShape = fc
    .record({
      known: fc.subarray(names).chain((keys) => fc.tuple(...keys.map((key) => fc.tuple(fc.constant(key), nastyValue)))),
      extra: fc.dictionary(fc.string({ maxLength: 8 }), nastyValue, { maxKeys: 3 }),
    })
    .map(({ known, extra }) => JSON.stringify({ ...extra, ...Object.fromEntries(known) }));
  return fc.oneof(
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

function queryArbitrary(op: Operation): fc.Arbitrary<string> {
  const names = [...parameters(op, "query").map((p) => p.name), "cursor", "limit", "zzz"];
  const value = fc.oneof(
    nastyString.filter((s) => s.length < 5000).map((s) => encodeURIComponent(s.toWellFormed())),
    fc.constantFrom("%00", "%ED%A0%80", "%FF", "%", "-1", "1e999", "2026-13-45", "a,b,,c", HUGE.slice(0, 8000)),
  );
  return fc
    .array(fc.tuple(fc.constantFrom(...names), value), { maxLength: 5 })
    .map((pairs) => (pairs.length ? "?" + pairs.map(([k, v]) => `${k}=${v}`).join("&") : ""));
}

const contentTypes = fc.constantFrom(
  "application/json",
  "application/json",
  "application/json; charset=utf-8",
  "application/problem+json",
  "text/plain",
  "text/plain; application/json",
  "application/x-www-form-urlencoded",
  "multipart/form-data; boundary=zzz",
  "application/xml",
  null,
);

/**
 * Requests for `op`, mostly as the identity it takes so the input reaches its validation; path ids
 * are sometimes one of `knownIds`, so some requests get past the lookup to what comes after it.
 */
export function requestArbitrary(
  document: OpenApiDocument,
  target: { method: string; op: Operation },
  knownIds: string[] = [],
): fc.Arbitrary<FuzzRequest> {
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
    query: queryArbitrary(target.op),
    contentType: write ? contentTypes : fc.constant(null),
    body: write ? bodyArbitrary(document, target.op) : fc.constant(null),
    sameOrigin: fc.oneof({ weight: 4, arbitrary: fc.constant(true) }, { weight: 1, arbitrary: fc.constant(false) }),
    bearer: fc.constantFrom("valid", "valid", "garbage", "none"),
  }) as fc.Arbitrary<FuzzRequest>;
}
