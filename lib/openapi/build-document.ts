import { createHash } from "node:crypto";
import { gzipSync } from "node:zlib";
import { REQUEST_ID_HEADER, type RouteContract } from "@/lib/http/handler";
import { createSchemaComponents, type SchemaComponents } from "@/lib/openapi/json-schema";
import { AGENT_SCHEME, errorResponse, jsonResponse } from "@/lib/openapi/operations";
import { describeOperation } from "@/lib/openapi/route-doc";
import { errorBodySchema, validationErrorBodySchema } from "@/lib/openapi/schemas";
import type { HttpMethod, OpenApiDocument, PathItem } from "@/lib/openapi/types";
import packageJson from "@/package.json";

// The OpenAPI 3.1 document of the HTTP API, built from what each route declares in handle()
// (`openapi`: summary, tags, the zod schemas it validates with, its responses; see route-doc.ts)
// and the auth it declares there. The route modules come from app/api/openapi.json/routes.generated.ts.
// app/api/openapi.json/document.test.ts fails when a route or method under app/api is missing here, or when a
// route validates its body or query with another schema than the one it declares.
//
// It is served without a session, so it describes shapes only, never this instance's data.

/** A route module and its path in the document (`/api/runs/{id}`). */
export type ApiRoute = { path: string; module: Record<string, unknown> };

const METHODS: HttpMethod[] = ["get", "put", "post", "delete", "patch", "head", "options"];

function pathsOf(routes: ApiRoute[], schemas: SchemaComponents): Record<string, PathItem> {
  const paths: Record<string, PathItem> = {};
  for (const { path, module } of [...routes].sort((a, b) => a.path.localeCompare(b.path))) {
    for (const method of METHODS) {
      const contract = (module[method.toUpperCase()] as { contract?: RouteContract } | undefined)?.contract;
      if (!contract?.openapi) continue; // app/api/openapi.json/document.test.ts fails for such a method
      (paths[path] ??= {})[method] = describeOperation(contract.auth, contract.openapi, schemas);
    }
  }
  return paths;
}

export const OPENAPI_VERSION = "3.1.0";
export const JSON_SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema";
export const SESSION_COOKIE = "next-auth.session-token";

export function buildOpenApiDocument({ serverUrl, routes }: { serverUrl: string; routes: ApiRoute[] }): OpenApiDocument {
  const schemas = createSchemaComponents();
  const paths = pathsOf(routes, schemas);
  const error = schemas.convert(errorBodySchema, "output");
  const validationError = schemas.convert(validationErrorBodySchema, "output");
  // Declared once an endpoint takes agent tokens, so the document never offers a scheme nothing accepts.
  const agentEndpoints = Object.values(paths).some((item) =>
    Object.values(item).some((op) => op.security?.some((requirement) => AGENT_SCHEME in requirement)),
  );

  return {
    openapi: OPENAPI_VERSION,
    jsonSchemaDialect: JSON_SCHEMA_DIALECT,
    info: {
      title: "Personal Automations API",
      version: packageJson.version,
      description:
        "The HTTP API of a self-hosted layer between AI agents and real systems. Errors share one shape " +
        "(`{ error: { code, message, details? }, requestId }`); every response carries an x-request-id header, and a " +
        "caller may send its own to trace a request through the logs.",
    },
    servers: [{ url: serverUrl, description: "This instance (APP_URL)" }],
    tags: [
      { name: "system", description: "Health and this document; no sign-in needed" },
      { name: "pipelines", description: "The typed units of work this app can run" },
      { name: "runs", description: "The record of every pipeline run" },
      { name: "schedules", description: "Pipelines run on a cron, and the history of their slots" },
      { name: "webhooks", description: "Signed events from other systems, and the pipelines they start" },
      {
        name: "jobs",
        description:
          "Work queued for agents. An agent claims jobs and gets a lease id with each; it sends that lease id with every " +
          "heartbeat (which extends the lease), complete and fail. A result must match the kind's result schema; completing " +
          "again with the same result is idempotent (200, idempotent: true). Once the lease is lost (expired, cancelled, " +
          "reclaimed, or a stale lease id) those calls answer 409: stop working on the job.",
      },
      {
        name: "agent",
        description:
          "The API agents call, with an access token (Authorization: Bearer …). POST /api/agent/token exchanges the " +
          "agent's client id and secret for a short-lived access token and a refresh token. Refresh tokens rotate: each is " +
          "single use and returns a new pair, and presenting a spent one again (reuse) revokes the whole token family, so " +
          "the agent must exchange its credential again. Every call is checked against the agent's scope (job kinds and " +
          "pipelines): a refusal is a 403, recorded in the agent's audit trail, the same whether or not the name exists. " +
          "The same protocol is offered as MCP tools at /api/agent/mcp.",
      },
      { name: "agents", description: "Registering agents, their client credentials, scope and tokens (for people signed in)" },
      {
        name: "assistants",
        description:
          "Chat assistants, one per area. An area sets what its assistant is for, which pipelines it may call as tools, its model, " +
          "and its limits (steps and cost per turn, cost per day). Conversations belong to the person who started them; " +
          "POST /api/chat runs one turn and streams it (AI SDK UI message stream).",
      },
      {
        name: "email",
        description:
          "Connected Gmail accounts. Connecting is a browser navigation (GET /api/email/connect → Google's consent screen → " +
          "GET /api/email/oauth/callback → back to the app) for the single scope gmail.modify; tokens are stored encrypted and " +
          "never returned. Disconnecting revokes the grant at Google and deletes them.",
      },
      {
        name: "triage",
        description:
          "Email triage of connected Gmail inboxes: every message gets a category with a confidence, the stage that decided it " +
          "(the owner's sender rules, heuristics, or the model) and its reasons. A category's actions (a label, archive, mark read) " +
          "apply automatically only at or above its threshold; below it the message waits in the review queue. Every change is " +
          "logged with the labels before and after, and can be undone one action or one sync run at a time.",
      },
      {
        name: "approvals",
        description:
          "What waits on the owner: reply drafts agents wrote (saved as Gmail drafts, sent only on approval), agents' calls to " +
          "pipelines their policy says to ask about, and results flagged for a human. Approving runs what the approval holds " +
          "through the runner once; denying records why. Agents get 202 pending_approval and poll their request.",
      },
    ],
    security: [{ sessionCookie: [] }],
    paths,
    components: {
      schemas: schemas.schemas,
      responses: {
        BadRequest: jsonResponse(
          "The request is invalid: validation_failed (details.issues names each field) or bad_request (the body is not JSON)",
          { anyOf: [validationError, error] },
        ),
        Unauthorized: errorResponse("No valid session (or, where an agent token is taken, no valid token)"),
        Forbidden: errorResponse("The agent's scope does not allow this; the refusal is recorded in its audit trail"),
        NotFound: errorResponse("The named pipeline, run, schedule, webhook source, subscription, event, job, agent, token, area, conversation, email account, triaged message, triage action, sync run, category or sender rule does not exist"),
        Conflict: errorResponse("The request conflicts with the current state"),
        PayloadTooLarge: errorResponse("The body is larger than 1 MB"),
        UnsupportedMediaType: errorResponse("The body is not sent as application/json"),
        InternalError: errorResponse("Something failed on our side; the request id identifies it in the logs"),
      },
      parameters: {
        RequestId: {
          name: REQUEST_ID_HEADER,
          in: "header",
          required: false,
          description: "Your own id for this request (8–128 of A–Z a–z 0–9 . _ : -); echoed back and written to the logs. One is made up when absent or malformed.",
          schema: { type: "string", pattern: "^[A-Za-z0-9._:-]{8,128}$" },
        },
      },
      headers: {
        RequestId: { description: "The request's id (yours when you sent a well-formed one)", schema: { type: "string" } },
        IdempotentReplay: {
          description: '"true" when an earlier run with the same idempotency key was returned instead of starting a new one',
          schema: { type: "string", enum: ["true", "false"] },
        },
      },
      securitySchemes: {
        sessionCookie: {
          type: "apiKey",
          in: "cookie",
          name: SESSION_COOKIE,
          description:
            "The session cookie set by signing in (the /sign-in page, or POST /api/auth/callback/credentials with a CSRF " +
            "token from GET /api/auth/csrf). Over HTTPS it is named __Secure-next-auth.session-token.",
        },
        ...(agentEndpoints
          ? {
              [AGENT_SCHEME]: {
                type: "http" as const,
                scheme: "bearer",
                description: "An agent's access token (Authorization: Bearer …), on the endpoints marked with it",
              },
            }
          : {}),
      },
    },
  };
}

/** The document as it goes out: its JSON, that JSON gzipped, and an ETag naming this version. */
export type EncodedDocument = { document: OpenApiDocument; json: Buffer; gzipped: Buffer; etag: string };

let cached: { serverUrl: string; encoded: EncodedDocument } | undefined;

/** The document for `serverUrl`, built once per process (it only changes with the code). */
export function getOpenApiDocument(serverUrl: string, routes: ApiRoute[]): OpenApiDocument {
  return encodedOpenApiDocument(serverUrl, routes).document;
}

/**
 * The document, serialised and compressed once per process: it is 60 KiB of JSON, and encoding it
 * per request cost about 18 ms of CPU (most of it gzip).
 */
export function encodedOpenApiDocument(serverUrl: string, routes: ApiRoute[]): EncodedDocument {
  if (cached?.serverUrl !== serverUrl) {
    const document = buildOpenApiDocument({ serverUrl, routes });
    const json = Buffer.from(JSON.stringify(document));
    const etag = `"${createHash("sha256").update(json).digest("base64url").slice(0, 27)}"`;
    cached = { serverUrl, encoded: { document, json, gzipped: gzipSync(json), etag } };
  }
  return cached.encoded;
}
