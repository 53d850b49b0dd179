import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { API_ROUTES } from "@/app/api/openapi.json/routes.generated";
import { tokenRequest } from "@/lib/agents/token-request";
import { AppError, errorBodyFor, validationError } from "@/lib/errors";
import type { RouteContract } from "@/lib/http/handler";
import { buildOpenApiDocument, getOpenApiDocument } from "@/lib/openapi/build-document";
import { operation } from "@/lib/openapi/operations";
import { documentedRouteFiles, renderRouteIndex, ROUTE_INDEX_FILE } from "@/lib/openapi/route-index";
import { errorBodySchema, validationErrorBodySchema } from "@/lib/openapi/schemas";
import type { OpenApiDocument } from "@/lib/openapi/types";
import { startRunBody, startRunQuery } from "@/lib/pipelines/api";
import { toJsonSchema, type JsonSchema } from "@/lib/pipelines/catalog";
import { listRunsQuery } from "@/lib/pipelines/list-runs";
import { runDtoSchema } from "@/lib/pipelines/run-dto";

const ROOT = path.resolve(import.meta.dirname, "..", "..", "..");
const API_DIR = path.join(ROOT, "app", "api");
const HTTP_METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"];

const document = buildOpenApiDocument({ serverUrl: "https://automations.example.com", routes: API_ROUTES });

type RouteFile = { path: string; file: string; source: string; methods: Map<string, RouteContract | null> };

/** Every documented route file, with the contract of each HTTP method it exports (null when it has none). */
async function routeFiles(): Promise<RouteFile[]> {
  const out: RouteFile[] = [];
  for (const { file, path: urlPath } of documentedRouteFiles(ROOT)) {
    const mod = (await import(/* @vite-ignore */ path.join(ROOT, file))) as Record<string, unknown>;
    const methods = new Map<string, RouteContract | null>();
    for (const method of HTTP_METHODS) {
      if (typeof mod[method] === "function") methods.set(method, (mod[method] as { contract?: RouteContract }).contract ?? null);
    }
    out.push({ path: urlPath, file, source: readFileSync(path.join(ROOT, file), "utf8"), methods });
  }
  return out;
}

const routes = await routeFiles();

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

  it("lists every route module in the generated index (npm run openapi:routes rewrites it)", () => {
    expect(readFileSync(path.join(ROOT, ROUTE_INDEX_FILE), "utf8")).toBe(renderRouteIndex(ROOT));
    expect(API_ROUTES.map((r) => r.path)).toEqual(routes.map((r) => r.path));
  });

  it("documents exactly the routes under app/api, with the methods they export", () => {
    expect(routes.length).toBeGreaterThan(60);
    const fromFiles = Object.fromEntries(routes.map((r) => [r.path, [...r.methods.keys()].map((m) => m.toLowerCase()).sort()]));
    const fromDocument = Object.fromEntries(Object.entries(document.paths).map(([p, item]) => [p, Object.keys(item).sort()]));
    expect(fromDocument).toEqual(fromFiles);
  });

  it("leaves out a method that declares no operation, which the test above then reports", () => {
    const undescribed = Object.assign(async () => new Response(), { contract: { auth: "public" } as RouteContract });
    const partial = buildOpenApiDocument({ serverUrl: "http://x", routes: [...API_ROUTES, { path: "/api/new", module: { GET: undescribed } }] });
    expect(partial.paths["/api/new"]).toBeUndefined();
    expect(Object.keys(partial.paths)).toEqual(Object.keys(document.paths));
  });

  it("gives each handler the auth it declares in handle(): none when public, else the scheme and a 401", () => {
    for (const route of routes) {
      for (const [method, contract] of route.methods) {
        const op = document.paths[route.path]![method.toLowerCase() as "get"]!;
        expect(contract, `${method} ${route.path} goes through handle()`).not.toBeNull();
        expect(op.operationId).toBeTruthy();
        if (contract!.auth === "public") {
          expect(op.security, `${method} ${route.path}`).toEqual([]);
        } else if (contract!.auth === "agent") {
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
    const agentRoutes = routes.some((r) => [...r.methods.values()].some((c) => c?.auth === "agent"));
    expect("bearerAuth" in document.components.securitySchemes).toBe(agentRoutes);
    const agentOp = operation("agent", { operationId: "x", summary: "x", tags: [], responses: {} });
    expect(agentOp.security).toEqual([{ bearerAuth: [] }]);
    expect(Object.keys(agentOp.responses)).toEqual(["401", "403", "500"]);
    expect(document.components.securitySchemes.sessionCookie).toMatchObject({ type: "apiKey", in: "cookie", name: "next-auth.session-token" });
  });

  it("declares each body and query with the very zod schema the handler passes to body() and query()", async () => {
    let checked = 0;
    for (const route of routes) {
      for (const [method, contract] of route.methods) {
        const declared = contract?.openapi;
        const handler = handlerSource(route.source, method);
        const bodyName = /\bbody\((\w+)\)/.exec(handler)?.[1];
        if (bodyName) {
          const schema = declared?.requestBody?.content["application/json"]?.schema;
          expect(schema, `${method} ${route.path} declares its body as ${bodyName}`).toBe(await importedSchema(route.source, bodyName));
          checked++;
        }
        const queryName = /\bquery\((\w+)\)/.exec(handler)?.[1];
        if (queryName) {
          expect(declared?.query, `${method} ${route.path} declares its query as ${queryName}`).toBe(await importedSchema(route.source, queryName));
          const op = document.paths[route.path]![method.toLowerCase() as "get"]!;
          const names = (op.parameters ?? []).flatMap((p) => ("in" in p && p.in === "query" ? [p.name] : []));
          expect(names, `${method} ${route.path} query is ${queryName}`).toEqual(Object.keys((declared!.query as z.ZodObject).shape));
          checked++;
        }
      }
    }
    expect(checked).toBeGreaterThanOrEqual(30);
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

  it("reads the contracts of handlers that exported functions wrap (the MCP endpoint)", () => {
    const mcp = routes.find((r) => r.path === "/api/agent/mcp");
    expect(mcp && Object.fromEntries([...mcp.methods].map(([m, c]) => [m, c?.auth]))).toEqual({ POST: "agent", GET: "agent", DELETE: "agent" });
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
    const first = getOpenApiDocument("http://localhost:3000", API_ROUTES);
    expect(getOpenApiDocument("http://localhost:3000", API_ROUTES)).toBe(first);
    expect(getOpenApiDocument("http://127.0.0.1:4000", API_ROUTES).servers[0]!.url).toBe("http://127.0.0.1:4000");
  });
});
