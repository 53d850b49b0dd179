import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { tokenRequest } from "@/lib/agents/token-request";
import { AppError, errorBodyFor, validationError } from "@/lib/errors";
import { buildOpenApiDocument, getOpenApiDocument } from "@/lib/openapi/build-document";
import { operation } from "@/lib/openapi/operations";
import { errorBodySchema, validationErrorBodySchema } from "@/lib/openapi/schemas";
import type { OpenApiDocument } from "@/lib/openapi/types";
import { startRunBody, startRunQuery } from "@/lib/pipelines/api";
import { toJsonSchema, type JsonSchema } from "@/lib/pipelines/catalog";
import { listRunsQuery } from "@/lib/pipelines/list-runs";
import { runDtoSchema } from "@/lib/pipelines/run-dto";

const ROOT = path.resolve(import.meta.dirname, "..", "..");
const API_DIR = path.join(ROOT, "app", "api");
// Other software's protocols, not this app's API: next-auth's sign-in endpoints, and the endpoint
// the Inngest server calls (signed by Inngest; closed without one); and the catch-all that answers
// JSON 404 for addresses no route matches.
const UNDOCUMENTED = new Set(["/api/auth/[...nextauth]", "/api/inngest", "/api/[...slug]"]);
const HTTP_METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"];

const document = buildOpenApiDocument({ serverUrl: "https://automations.example.com" });

type RouteFile = { path: string; file: string; source: string; methods: Map<string, string | null> };

function routeFiles(dir: string, out: RouteFile[] = []): RouteFile[] {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) routeFiles(full, out);
    else if (entry.name === "route.ts") {
      const segments = path
        .relative(path.join(ROOT, "app"), dir)
        .split(path.sep)
        .filter((s) => !/^\(.*\)$/.test(s)); // route groups do not appear in URLs
      const urlPath = "/" + segments.join("/");
      if (UNDOCUMENTED.has(urlPath)) continue;
      const source = readFileSync(full, "utf8");
      out.push({ path: urlPath.replace(/\[([^\].]+)\]/g, "{$1}"), file: full, source, methods: exportedMethods(source) });
    }
  }
  return out;
}

/** The HTTP methods a route file exports, each with the auth it passes to handle() (null if none). */
function exportedMethods(source: string): Map<string, string | null> {
  const names = new Set<string>();
  for (const m of source.matchAll(/export\s+(?:const|let|(?:async\s+)?function)\s+([A-Z]+)\b/g)) names.add(m[1]!);
  for (const m of source.matchAll(/export\s*\{([^}]*)\}/g)) {
    for (const part of m[1]!.split(",")) names.add(part.trim().split(/\s+as\s+/).pop()!);
  }
  const methods = new Map<string, string | null>();
  for (const name of [...names].filter((n) => HTTP_METHODS.includes(n))) {
    const auth = source.match(new RegExp(`export\\s+const\\s+${name}\\s*=\\s*handle(?:<[^\\n]*?>)?\\(\\s*\\{\\s*auth:\\s*"(\\w+)"`));
    methods.set(name, auth?.[1] ?? delegatedAuth(source, name));
  }
  return methods;
}

/**
 * The auth of an exported function that only wraps a handler built in the same file
 * (`const post = handle({ auth: "agent" }, …)`, then `export async function POST(req, args) { … await post(req, args) … }`);
 * null unless every handler it calls has one, and they agree.
 */
function delegatedAuth(source: string, method: string): string | null {
  const start = source.search(new RegExp(`export\\s+(?:async\\s+)?function\\s+${method}\\b`));
  if (start < 0) return null;
  const end = source.indexOf("\n}", start);
  const body = source.slice(start, end < 0 ? undefined : end);
  const auths = new Set<string | null>();
  for (const call of body.matchAll(/\b(\w+)\(req\b/g)) {
    if (call[1] === method) continue; // the function's own signature
    const local = source.match(new RegExp(`const\\s+${call[1]}\\s*=\\s*handle(?:<[^\\n]*?>)?\\(\\s*\\{\\s*auth:\\s*"(\\w+)"`));
    auths.add(local?.[1] ?? null);
  }
  return auths.size === 1 ? ([...auths][0] ?? null) : null;
}

/** The source of one exported handler: from `export const METHOD` to the next export. */
function handlerSource(source: string, method: string): string {
  const start = source.search(new RegExp(`export\\s+const\\s+${method}\\b`));
  if (start < 0) return "";
  const next = source.slice(start + 1).search(/\nexport\s/);
  return next < 0 ? source.slice(start) : source.slice(start, start + 1 + next);
}

/** The zod schema a route imports under `name` (from an "@/…" module). */
async function importedSchema(source: string, name: string): Promise<z.ZodType> {
  for (const m of source.matchAll(/import\s*\{([^}]*)\}\s*from\s*"(@\/[^"]+)"/g)) {
    if (m[1]!.split(",").some((part) => part.trim() === name)) {
      const mod = (await import(/* @vite-ignore */ m[2]!)) as Record<string, unknown>;
      return mod[name] as z.ZodType;
    }
  }
  throw new Error(`${name} is not imported from an @/ module`);
}

/** The schema behind a $ref (or the schema itself), with refs written the way toJsonSchema writes them. */
function comparable(schema: JsonSchema, doc: OpenApiDocument): string {
  const target = typeof schema.$ref === "string" ? (resolvePointer(doc, schema.$ref) as JsonSchema) : schema;
  return JSON.stringify(target).replaceAll("#/components/schemas/", "#/$defs/");
}

function comparableZod(json: JsonSchema): string {
  const { $schema: _dialect, $defs: _defs, ...root } = json;
  return JSON.stringify(typeof json.$ref === "string" ? definitionOf(json) : root);
}

function resolvePointer(doc: unknown, ref: string): unknown {
  if (!ref.startsWith("#/")) return undefined;
  return ref
    .slice(2)
    .split("/")
    .map((part) => part.replaceAll("~1", "/").replaceAll("~0", "~"))
    .reduce<unknown>((node, key) => (node && typeof node === "object" ? (node as Record<string, unknown>)[key] : undefined), doc);
}

function collectRefs(node: unknown, at: string, out: { ref: string; at: string }[] = []) {
  if (Array.isArray(node)) node.forEach((item, i) => collectRefs(item, `${at}/${i}`, out));
  else if (node && typeof node === "object") {
    for (const [key, value] of Object.entries(node)) {
      if (key === "$ref" && typeof value === "string") out.push({ ref: value, at });
      else collectRefs(value, `${at}/${key}`, out);
    }
  }
  return out;
}

type Obj = Record<string, unknown>;
const SCHEMA_TYPES = ["string", "number", "integer", "boolean", "object", "array", "null"];

/** JSON Schema 2020-12 rules the converter could break, applied to a schema and all its subschemas. */
function schemaProblems(schema: unknown, at: string, problems: string[]): void {
  if (typeof schema === "boolean") return;
  if (!schema || typeof schema !== "object" || Array.isArray(schema)) return void problems.push(`${at}: not a schema`);
  const s = schema as Obj;
  if ("nullable" in s) problems.push(`${at}: "nullable" is OpenAPI 3.0; 3.1 uses type: [..., "null"]`);
  if ("$schema" in s) problems.push(`${at}: $schema inside the document (the dialect is declared once)`);
  const types = s.type === undefined ? [] : Array.isArray(s.type) ? s.type : [s.type];
  for (const t of types) if (!SCHEMA_TYPES.includes(t as string)) problems.push(`${at}: unknown type ${String(t)}`);
  if ("enum" in s && (!Array.isArray(s.enum) || s.enum.length === 0)) problems.push(`${at}: enum must be a non-empty array`);
  if ("required" in s) {
    const declared = Object.keys((s.properties as Obj | undefined) ?? {});
    if (!Array.isArray(s.required)) problems.push(`${at}: required must be an array`);
    else for (const name of s.required) if (!declared.includes(name)) problems.push(`${at}: required "${name}" is not a property`);
  }
  for (const key of ["properties", "$defs", "patternProperties"]) {
    for (const [name, sub] of Object.entries((s[key] as Obj | undefined) ?? {})) schemaProblems(sub, `${at}/${key}/${name}`, problems);
  }
  for (const key of ["anyOf", "oneOf", "allOf", "prefixItems"]) {
    if (key in s && !Array.isArray(s[key])) problems.push(`${at}: ${key} must be an array`);
    ((s[key] as unknown[] | undefined) ?? []).forEach((sub, i) => schemaProblems(sub, `${at}/${key}/${i}`, problems));
  }
  for (const key of ["items", "additionalProperties", "propertyNames", "not"]) {
    if (key in s) schemaProblems(s[key], `${at}/${key}`, problems);
  }
}

/** A structural check against the OpenAPI 3.1 rules that matter here (no validator package is installed). */
function documentProblems(doc: OpenApiDocument): string[] {
  const problems: string[] = [];
  const resolve = <T,>(node: T | { $ref: string }): T => ("$ref" in (node as Obj) ? (resolvePointer(doc, (node as { $ref: string }).$ref) as T) : (node as T));

  if (!/^3\.1\.\d+$/.test(doc.openapi)) problems.push(`openapi is ${doc.openapi}, not 3.1.x`);
  if (!doc.info?.title || !doc.info?.version) problems.push("info needs a title and a version");
  for (const { ref, at } of collectRefs(doc, "#")) {
    if (resolvePointer(doc, ref) === undefined) problems.push(`${at}: $ref ${ref} does not resolve`);
  }
  for (const [kind, entries] of Object.entries(doc.components)) {
    for (const name of Object.keys(entries)) {
      if (!/^[a-zA-Z0-9.\-_]+$/.test(name)) problems.push(`components.${kind}.${name}: invalid name`);
    }
  }
  for (const [name, schema] of Object.entries(doc.components.schemas)) schemaProblems(schema, `#/components/schemas/${name}`, problems);

  const tags = new Set(doc.tags.map((t) => t.name));
  const schemes = new Set(Object.keys(doc.components.securitySchemes));
  for (const requirement of doc.security) for (const name of Object.keys(requirement)) if (!schemes.has(name)) problems.push(`security: unknown scheme ${name}`);
  const operationIds = new Set<string>();

  for (const [urlPath, item] of Object.entries(doc.paths)) {
    if (!urlPath.startsWith("/")) problems.push(`${urlPath}: paths start with /`);
    const templated = [...urlPath.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]!).sort();
    for (const [method, op] of Object.entries(item)) {
      const at = `${method.toUpperCase()} ${urlPath}`;
      if (!["get", "put", "post", "delete", "options", "head", "patch", "trace"].includes(method)) problems.push(`${at}: not an HTTP method`);
      if (!op.operationId || !/^[A-Za-z][A-Za-z0-9_]*$/.test(op.operationId)) problems.push(`${at}: missing or odd operationId`);
      else if (operationIds.has(op.operationId)) problems.push(`${at}: duplicate operationId ${op.operationId}`);
      operationIds.add(op.operationId);
      for (const tag of op.tags ?? []) if (!tags.has(tag)) problems.push(`${at}: undeclared tag ${tag}`);
      for (const requirement of op.security ?? []) for (const name of Object.keys(requirement)) if (!schemes.has(name)) problems.push(`${at}: unknown scheme ${name}`);

      const parameters = (op.parameters ?? []).map(resolve);
      const seen = new Set<string>();
      for (const p of parameters) {
        const key = `${p.in}:${p.in === "header" ? p.name.toLowerCase() : p.name}`;
        if (seen.has(key)) problems.push(`${at}: parameter ${key} twice`);
        seen.add(key);
        if (!["query", "header", "path", "cookie"].includes(p.in)) problems.push(`${at}: parameter ${p.name} in "${p.in}"`);
        if (p.in === "path" && p.required !== true) problems.push(`${at}: path parameter ${p.name} must be required`);
        if (!p.schema) problems.push(`${at}: parameter ${p.name} has no schema`);
        else schemaProblems(p.schema, `${at} parameter ${p.name}`, problems);
      }
      const pathParams = parameters.filter((p) => p.in === "path").map((p) => p.name).sort();
      if (JSON.stringify(pathParams) !== JSON.stringify(templated)) problems.push(`${at}: path parameters ${pathParams} ≠ template ${templated}`);

      if (op.requestBody) {
        const media = Object.values(op.requestBody.content ?? {});
        if (media.length === 0) problems.push(`${at}: requestBody without content`);
        for (const m of media) schemaProblems(m.schema, `${at} requestBody`, problems);
      }
      const responses = Object.entries(op.responses ?? {});
      if (responses.length === 0) problems.push(`${at}: no responses`);
      for (const [code, raw] of responses) {
        if (!/^([1-5]\d\d|[1-5]XX|default)$/.test(code)) problems.push(`${at}: response code ${code}`);
        const response = resolve(raw);
        if (typeof response?.description !== "string") problems.push(`${at} ${code}: response needs a description`);
        for (const [name, header] of Object.entries(response?.headers ?? {})) {
          if (name.toLowerCase() === "content-type") problems.push(`${at} ${code}: Content-Type is not a header to document`);
          if (!resolve(header)?.schema) problems.push(`${at} ${code}: header ${name} has no schema`);
        }
        for (const m of Object.values(response?.content ?? {})) schemaProblems(m.schema, `${at} ${code}`, problems);
      }
    }
  }
  return problems;
}

/** What toJsonSchema gives for a schema with an id: a $ref into its $defs; this is the definition. */
function definitionOf(json: JsonSchema): JsonSchema {
  const id = String(json.$ref).replace("#/$defs/", "");
  return (json.$defs as Record<string, JsonSchema>)[id]!;
}

describe("the OpenAPI document", () => {
  it("is OpenAPI 3.1 with JSON Schema 2020-12, this app's version and the given server", () => {
    expect(document.openapi).toMatch(/^3\.1\.\d+$/);
    expect(document.jsonSchemaDialect).toBe("https://json-schema.org/draft/2020-12/schema");
    expect(document.info.title).toBe("Personal Automations API");
    expect(document.info.version).toMatch(/^\d+\.\d+\.\d+/);
    expect(document.servers[0]!.url).toBe("https://automations.example.com");
    expect(JSON.parse(JSON.stringify(document))).toEqual(document);
  });

  it("passes the structural checks: refs resolve, path parameters match, ids are unique, schemas are 2020-12", () => {
    expect(documentProblems(document)).toEqual([]);
  });

  it("the structural checks catch what they are meant to", () => {
    const broken = structuredClone(document) as OpenApiDocument;
    const getRun = broken.paths["/api/runs/{id}"]!.get!;
    getRun.parameters = getRun.parameters!.filter((p) => !("in" in p && p.in === "path"));
    broken.paths["/api/runs"]!.get!.operationId = "getRun";
    broken.paths["/api/pipelines"]!.get!.responses["200"] = { $ref: "#/components/responses/Nope" };
    broken.components.schemas.Run!.nullable = true;
    const problems = documentProblems(broken);
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringContaining("GET /api/runs/{id}: path parameters"),
        expect.stringContaining("duplicate operationId getRun"),
        expect.stringContaining("$ref #/components/responses/Nope does not resolve"),
        expect.stringContaining('#/components/schemas/Run: "nullable"'),
      ]),
    );
  });

  it("documents exactly the routes under app/api, with the methods they export", () => {
    const routes = routeFiles(API_DIR);
    expect(routes.length).toBeGreaterThan(5);
    const fromFiles = Object.fromEntries(routes.map((r) => [r.path, [...r.methods.keys()].map((m) => m.toLowerCase()).sort()]));
    const fromDocument = Object.fromEntries(Object.entries(document.paths).map(([p, item]) => [p, Object.keys(item).sort()]));
    expect(fromDocument).toEqual(fromFiles);
  });

  it("gives each handler the auth it has in handle(): none when public, else the scheme and a 401", () => {
    for (const route of routeFiles(API_DIR)) {
      for (const [method, auth] of route.methods) {
        const op = document.paths[route.path]![method.toLowerCase() as "get"]!;
        expect(auth, `${method} ${route.path} goes through handle()`).not.toBeNull();
        expect(op.operationId).toBeTruthy();
        if (auth === "public") {
          expect(op.security, `${method} ${route.path}`).toEqual([]);
        } else if (auth === "agent") {
          expect(op.security, `${method} ${route.path}`).toEqual([{ bearerAuth: [] }]);
          expect(op.responses["401"], `${method} ${route.path}`).toEqual({ $ref: "#/components/responses/Unauthorized" });
        } else {
          expect(op.security, `${method} ${route.path}`).toBeUndefined();
          expect(op.responses["401"], `${method} ${route.path}`).toEqual({ $ref: "#/components/responses/Unauthorized" });
        }
      }
    }
    expect(document.security).toEqual([{ sessionCookie: [] }]);
    // The bearer scheme is declared exactly when some handler takes agent tokens.
    const agentRoutes = routeFiles(API_DIR).some((r) => [...r.methods.values()].includes("agent"));
    expect("bearerAuth" in document.components.securitySchemes).toBe(agentRoutes);
    const agentOp = operation("agent", { operationId: "x", summary: "x", tags: [], responses: {} });
    expect(agentOp.security).toEqual([{ bearerAuth: [] }]);
    expect(Object.keys(agentOp.responses)).toEqual(["401", "403", "500"]);
    expect(document.components.securitySchemes.sessionCookie).toMatchObject({ type: "apiKey", in: "cookie", name: "next-auth.session-token" });
  });

  it("documents each body and query with the zod schema the route itself passes to body() and query()", async () => {
    let checked = 0;
    for (const route of routeFiles(API_DIR)) {
      for (const method of route.methods.keys()) {
        const op = document.paths[route.path]![method.toLowerCase() as "get"]!;
        const handler = handlerSource(route.source, method);
        const bodyName = /\bbody\((\w+)\)/.exec(handler)?.[1];
        if (bodyName) {
          const documented = op.requestBody?.content["application/json"]?.schema;
          expect(documented, `${method} ${route.path} documents a JSON body`).toBeDefined();
          const expected = toJsonSchema(await importedSchema(route.source, bodyName), "input");
          expect(comparable(documented!, document), `${method} ${route.path} body is ${bodyName}`).toBe(comparableZod(expected));
          checked++;
        }
        const queryName = /\bquery\((\w+)\)/.exec(handler)?.[1];
        if (queryName) {
          const schema = (await importedSchema(route.source, queryName)) as z.ZodObject;
          const names = (op.parameters ?? []).flatMap((p) => ("in" in p && p.in === "query" ? [p.name] : []));
          expect(names, `${method} ${route.path} query is ${queryName}`).toEqual(Object.keys(schema.shape));
          checked++;
        }
      }
    }
    expect(checked).toBeGreaterThanOrEqual(4);
  });

  it("takes the start-run body from the same zod schema the route validates with", () => {
    const body = document.paths["/api/pipelines/{name}/runs"]!.post!.requestBody!.content["application/json"]!.schema;
    expect(body).toEqual({ $ref: "#/components/schemas/StartRunRequest" });
    expect(document.components.schemas.StartRunRequest).toEqual(definitionOf(toJsonSchema(startRunBody, "input")));
  });

  it("documents the token endpoint's body, form or JSON, with the schema parseTokenRequest validates with", () => {
    const source = readFileSync(path.join(API_DIR, "agent", "token", "route.ts"), "utf8");
    expect(source).toContain("parseTokenRequest(req)");
    const content = document.paths["/api/agent/token"]!.post!.requestBody!.content;
    expect(Object.keys(content).sort()).toEqual(["application/json", "application/x-www-form-urlencoded"]);
    for (const media of Object.values(content)) expect(media.schema).toEqual({ $ref: "#/components/schemas/AgentTokenRequest" });
    expect(document.components.schemas.AgentTokenRequest).toEqual(definitionOf(toJsonSchema(tokenRequest, "input")));
  });

  it("reads the auth of handlers that exported functions wrap (the MCP endpoint)", () => {
    const mcp = routeFiles(API_DIR).find((r) => r.path === "/api/agent/mcp");
    expect(mcp && Object.fromEntries(mcp.methods)).toEqual({ POST: "agent", GET: "agent", DELETE: "agent" });
  });

  it("takes Run from run-dto's schema, as the output the API sends", () => {
    expect(document.components.schemas.Run).toEqual(definitionOf(toJsonSchema(runDtoSchema, "output")));
    const getRun = document.paths["/api/runs/{id}"]!.get!.responses["200"]!;
    expect(JSON.stringify(getRun)).toContain('"#/components/schemas/Run"');
  });

  it("has one query parameter per property of the zod query schemas, with its schema and description", () => {
    const query = (p: string, m: "get" | "post") =>
      document.paths[p]![m]!.parameters!.flatMap((x) => ("in" in x && x.in === "query" ? [x] : []));
    expect(query("/api/runs", "get").map((p) => p.name)).toEqual(Object.keys(listRunsQuery.shape));
    const [wait] = query("/api/pipelines/{name}/runs", "post");
    const { description, ...schema } = (toJsonSchema(startRunQuery, "input").properties as Record<string, JsonSchema>).wait!;
    expect(wait).toEqual({ name: "wait", in: "query", required: false, description, schema });

    const status = query("/api/runs", "get").find((p) => p.name === "status")!;
    expect(status).toMatchObject({ style: "form", explode: false, schema: { type: "array", items: { enum: expect.arrayContaining(["failed"]) } } });
    expect(query("/api/runs", "get").find((p) => p.name === "from")!.schema).toEqual({ type: "string", format: "date-time" });
  });

  it("describes the error bodies the API actually sends", () => {
    expect(errorBodySchema.safeParse(errorBodyFor(new AppError("not_found", "There is no run x"), "req_1")).success).toBe(true);
    const invalid = z.object({ input: z.object({ message: z.string() }) }).safeParse({ input: {} });
    const body = errorBodyFor(validationError(invalid.error!, "Request body"), "req_2");
    expect(validationErrorBodySchema.safeParse(body).success).toBe(true);
    const badRequest = document.components.responses.BadRequest!.content!["application/json"]!.schema;
    expect(badRequest).toEqual({ anyOf: [{ $ref: "#/components/schemas/ValidationError" }, { $ref: "#/components/schemas/Error" }] });
  });

  it("documents the x-request-id header on every response", () => {
    for (const [urlPath, item] of Object.entries(document.paths)) {
      for (const [method, op] of Object.entries(item)) {
        expect(op.parameters?.[0], `${method} ${urlPath}`).toEqual({ $ref: "#/components/parameters/RequestId" });
        for (const [code, raw] of Object.entries(op.responses)) {
          const response = "$ref" in raw ? (resolvePointer(document, raw.$ref) as typeof raw) : raw;
          expect((response as { headers?: object }).headers, `${method} ${urlPath} ${code}`).toHaveProperty(["x-request-id"]);
        }
      }
    }
  });

  it("is built once per server URL", () => {
    const first = getOpenApiDocument("http://localhost:3000");
    expect(getOpenApiDocument("http://localhost:3000")).toBe(first);
    expect(getOpenApiDocument("http://127.0.0.1:4000").servers[0]!.url).toBe("http://127.0.0.1:4000");
  });
});
