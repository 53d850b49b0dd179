import { z } from "zod";
import { createAgentBody, rotateSecretBody, updateAgentBody, type toAgentDto, type toAuditDto, type toTokenDto } from "@/lib/agents/dto";
import type { AgentPrincipal } from "@/lib/agents/principal";
import type { IssuedCredentials, revokeAllForAgent, rotateClientSecret } from "@/lib/agents/service";
import { tokenRequest } from "@/lib/agents/token-request";
import type { TokenResponse } from "@/lib/agents/tokens";
import type { jobKindsForAgent } from "@/lib/jobs/api";
import { claimRequest, claimedJobSchema, type claimJobs } from "@/lib/jobs/claim-jobs";
import { completeRequest, completion } from "@/lib/jobs/complete-job";
import { failRequest, failure } from "@/lib/jobs/fail-job";
import { heartbeatRequest, heartbeatResponse } from "@/lib/jobs/heartbeat-job";
import { pendingApprovalBodySchema } from "@/lib/openapi/approval-paths";
import type { SchemaComponents } from "@/lib/openapi/json-schema";
import { jobDetailSchema } from "@/lib/openapi/jobs-paths";
import { jsonBody, jsonResponse, operation, pathParameter, queryParameters, ref } from "@/lib/openapi/operations";
import { pipelineListSchema, runFailedBodySchema, runResponseSchema } from "@/lib/openapi/schemas";
import type { Exactly, Expect, PathItem, Response, Returned } from "@/lib/openapi/types";
import { startRunBody, startRunQuery } from "@/lib/pipelines/api";
import type { JsonSchema } from "@/lib/pipelines/catalog";

// Agents: the management API people use (/api/agents/**, session) and the API agents call
// (/api/agent/**, a bearer access token from POST /api/agent/token).

const iso = z.iso.datetime();
const scopeList = z.array(z.string());

const agentHealthSchema = z
  .object({
    status: z.enum(["ok", "idle", "never", "stale", "expired", "failing", "disabled"]).describe(
      "stale: work waiting and no check-in for longer than checkInMinutes; expired: no valid token left; failing: its last request was refused (revoked or expired token)",
    ),
    warning: z.string().nullable(),
    lastRoundAt: iso.nullable().describe("Its last request with a valid token"),
    lastClaimAt: iso.nullable(),
    tokenExpiresAt: iso.nullable().describe("When its last valid token runs out"),
    waitingJobs: z.number().int().describe("Queued jobs of the kinds it may claim"),
    checkInMinutes: z.number().int(),
    lastRefusal: z.object({ at: iso, reason: z.string() }).nullable(),
  })
  .meta({ id: "AgentHealth" });

const agentDtoSchema = z
  .object({
    id: z.string().describe("agt_…"),
    name: z.string(),
    description: z.string().nullable(),
    clientId: z.string().describe("Public: pa_client_…"),
    jobKinds: scopeList.describe("Job kinds it may list and claim"),
    pipelines: scopeList.describe("Pipelines it may list and run"),
    status: z.enum(["active", "disabled"]),
    disabledAt: iso.nullable(),
    lastSeenAt: iso.nullable(),
    checkInMinutes: z.number().int().describe("How often it is expected to check in (its rounds), in minutes"),
    health: agentHealthSchema.nullable().describe("Null where not assessed"),
    activeTokens: z.number().int().nullable().describe("Unexpired, unrevoked tokens (null where not counted)"),
    createdBy: z.string().nullable(),
    createdAt: iso,
    updatedAt: iso,
  })
  .meta({ id: "Agent", description: "Never includes a secret or a token hash" });

const agentTokenDtoSchema = z
  .object({
    id: z.string().describe("tok_…"),
    kind: z.enum(["access", "refresh"]),
    familyId: z.string().describe("Shared by every token issued from one client-credential exchange"),
    parentId: z.string().nullable().describe("The refresh token this one was issued for"),
    expiresAt: iso,
    usedAt: iso.nullable(),
    revokedAt: iso.nullable(),
    revokedReason: z.string().nullable(),
    createdAt: iso,
  })
  .meta({ id: "AgentTokenInfo", description: "A token's metadata; never the token or its hash" });

const agentAuditDtoSchema = z
  .object({
    id: z.string(),
    agentId: z.string().nullable(),
    tokenId: z.string().nullable(),
    action: z.string().describe("e.g. token.issued, token.refresh_reuse, scope.denied, agent.secret_rotated"),
    target: z.string().nullable(),
    allowed: z.boolean(),
    detail: z.unknown(),
    ip: z.string().nullable(),
    requestId: z.string().nullable(),
    createdAt: iso,
  })
  .meta({ id: "AgentAuditEvent" });

const agentResponseSchema = z.object({ agent: agentDtoSchema });
const agentListSchema = z.object({ agents: z.array(agentDtoSchema) });
const agentDetailSchema = z.object({
  agent: agentDtoSchema,
  tokens: z.array(agentTokenDtoSchema).describe("Active tokens"),
  audit: z.array(agentAuditDtoSchema).describe("The latest audit events, newest first"),
});
const credentialsSchema = z.object({
  agent: agentDtoSchema,
  clientId: z.string(),
  clientSecret: z.string().describe("Shown in this response and nowhere else, ever"),
  tokenCurl: z.string().describe("A ready-to-paste curl that exchanges the credential for tokens"),
});
const rotatedSchema = credentialsSchema.extend({ revokedTokens: z.number().int() });
const tokenListSchema = z.object({ tokens: z.array(agentTokenDtoSchema) });
const agentDeletedSchema = z.object({ deleted: z.string().describe("The deleted agent's id") });
const tokensRevokedSchema = z.object({ revoked: z.number().int().describe("How many tokens were revoked") });
const tokenRevokedSchema = z.object({ revoked: z.string().describe("The revoked token's id") });

const tokenResponseSchema = z
  .object({
    access_token: z.string().describe("Send as Authorization: Bearer …"),
    token_type: z.literal("Bearer"),
    expires_in: z.number().int().describe("Seconds until the access token expires"),
    refresh_token: z.string().describe("Single use: spend it at this endpoint for a new pair"),
    refresh_expires_in: z.number().int().describe("Seconds until the refresh token expires"),
    scope: z.object({ jobKinds: scopeList, pipelines: scopeList }),
  })
  .meta({ id: "AgentTokenResponse" });

const agentMeSchema = z.object({
  agent: z.object({ id: z.string(), name: z.string() }),
  tokenId: z.string().describe("The presented access token's id"),
  expiresAt: iso.nullable().describe("When the presented access token expires"),
  scope: z.object({ jobKinds: scopeList, pipelines: scopeList }),
});

const jobKindSchema = z
  .object({
    name: z.string(),
    title: z.string(),
    description: z.string(),
    leaseMs: z.number().int().describe("How long a claim or heartbeat holds the job"),
    maxAttempts: z.number().int(),
    maxRuntimeMs: z.number().int().describe("The most one attempt may take, heartbeats included"),
    inputSchema: z.record(z.string(), z.unknown()).describe("JSON Schema (2020-12) of a job's input"),
    resultSchema: z.record(z.string(), z.unknown()).describe("JSON Schema (2020-12) the result must match"),
  })
  .meta({ id: "AgentJobKind" });
const jobKindListSchema = z.object({ kinds: z.array(jobKindSchema) });
const claimResponseSchema = z.object({ jobs: z.array(claimedJobSchema).describe("Empty when nothing is queued") });

type AuditDto = ReturnType<typeof toAuditDto>;
type Mutable<T> = { -readonly [K in keyof T]: T[K] extends readonly (infer U)[] ? U[] : T[K] };

export type _AgentShapeChecks = [
  Expect<Exactly<z.infer<typeof agentDtoSchema>, ReturnType<typeof toAgentDto>>>,
  Expect<Exactly<z.infer<typeof agentTokenDtoSchema>, ReturnType<typeof toTokenDto>>>,
  Expect<Exactly<Omit<z.infer<typeof agentAuditDtoSchema>, "detail">, Omit<AuditDto, "detail">>>,
  Expect<Exactly<Omit<z.infer<typeof credentialsSchema>, "agent" | "tokenCurl">, Omit<IssuedCredentials, "agent">>>,
  Expect<Exactly<z.infer<typeof rotatedSchema>["revokedTokens"], Returned<typeof rotateClientSecret>["revokedTokens"]>>,
  Expect<Exactly<z.infer<typeof tokensRevokedSchema>["revoked"], Returned<typeof revokeAllForAgent>["revoked"]>>,
  Expect<Exactly<z.infer<typeof tokenResponseSchema>, TokenResponse>>,
  Expect<Exactly<z.infer<typeof agentMeSchema>["scope"], Mutable<Pick<AgentPrincipal, "jobKinds" | "pipelines">>>>,
  Expect<Exactly<z.infer<typeof agentMeSchema>["agent"], { id: AgentPrincipal["agentId"]; name: AgentPrincipal["agentName"] }>>,
  Expect<Exactly<z.infer<typeof jobKindListSchema>["kinds"], ReturnType<typeof jobKindsForAgent>>>,
  Expect<Exactly<z.infer<typeof claimResponseSchema>["jobs"], Returned<typeof claimJobs>>>,
];

/** A JSON-RPC 2.0 message, loosely: the MCP SDK validates the rest. */
const jsonRpcMessage: JsonSchema = {
  type: "object",
  description: "A JSON-RPC 2.0 request, notification or response (MCP: initialize, tools/list, tools/call …)",
  properties: {
    jsonrpc: { const: "2.0" },
    id: { type: ["string", "integer", "null"] },
    method: { type: "string" },
    params: { type: "object" },
    result: {},
    error: { type: "object" },
  },
  required: ["jsonrpc"],
};

export function buildAgentPaths(schemas: SchemaComponents): Record<string, PathItem> {
  const agentRef = pathParameter("id", "The agent's id (agt_…) or its name", { type: "string" });
  const tokenId = pathParameter("tokenId", "The token's id (tok_…)", { type: "string" });
  const jobId = pathParameter("id", "The job's id (job_…)", { type: "string" });
  const pipelineName = pathParameter("name", "The pipeline's name, e.g. system.echo", { type: "string", examples: ["system.echo"] });
  const agent = schemas.convert(agentResponseSchema, "output");
  const runBody = schemas.convert(runResponseSchema, "output");
  const replayHeader = { "x-idempotent-replay": ref("headers", "IdempotentReplay") };
  const noStore = { "cache-control": { description: "no-store: the body holds a secret", schema: { type: "string", const: "no-store" } } };
  const error = ref("schemas", "Error");
  const notFound = ref("responses", "NotFound");
  const badRequest = ref("responses", "BadRequest");
  const leaseLost = jsonResponse(
    "The lease is lost: it expired, the job was cancelled or reclaimed, or the lease id is not the current one. Stop working on the job.",
    error,
  );
  const jobNotFound = jsonResponse("There is no such job, or this agent never held it", error);
  const tokenRequestSchema = schemas.convert(tokenRequest, "input");
  const rpcBody = { anyOf: [jsonRpcMessage, { type: "array", items: jsonRpcMessage, minItems: 1 }] };
  const notAllowed: Response = jsonResponse("This MCP endpoint is stateless: use POST", jsonRpcMessage, {
    allow: { description: "POST", schema: { type: "string" } },
  });

  return {
    // ---- The agent's own API (bearer access token) ----
    "/api/agent/token": {
      post: operation("public", {
        operationId: "issueAgentToken",
        summary: "Exchange a client credential, or a refresh token, for an access + refresh token pair",
        description:
          "OAuth 2.0 style, form-encoded (application/x-www-form-urlencoded) or JSON. grant_type=client_credentials with " +
          "client_id and client_secret starts a token family; grant_type=refresh_token spends the refresh token (single use) " +
          "for a new pair in the same family. Presenting a spent refresh token again revokes the whole family. Failures are " +
          "recorded and rate limited per client id and address.",
        tags: ["agent"],
        requestBody: {
          required: true,
          content: {
            "application/x-www-form-urlencoded": { schema: tokenRequestSchema },
            "application/json": { schema: tokenRequestSchema },
          },
        },
        responses: {
          "200": jsonResponse("The token pair", schemas.convert(tokenResponseSchema, "output"), noStore),
          "400": jsonResponse(
            'The body is malformed, grant_type is unknown (details.error "unsupported_grant_type") or a field is invalid',
            { anyOf: [ref("schemas", "ValidationError"), error] },
          ),
          "401": jsonResponse(
            'The credential is wrong or the agent disabled (details.error "invalid_client"), or the refresh token is unknown, ' +
              'expired, revoked or reused (details.error "invalid_grant")',
            error,
          ),
          "413": ref("responses", "PayloadTooLarge"),
          "415": jsonResponse("The body is neither JSON nor a form", error),
          "429": jsonResponse("Too many failed token requests; details.retryAfterSeconds says when to try again", error),
        },
      }),
    },
    "/api/agent/me": {
      get: operation("agent", {
        operationId: "getAgentSelf",
        summary: "The calling agent, its scope, and when the presented access token expires",
        tags: ["agent"],
        responses: { "200": jsonResponse("Who is calling", schemas.convert(agentMeSchema, "output")) },
      }),
    },
    "/api/agent/pipelines": {
      get: operation("agent", {
        operationId: "listAgentPipelines",
        summary: "The pipelines this agent may run, with their input and output JSON Schemas",
        description: "Only pipelines in the agent's scope are listed.",
        tags: ["agent", "pipelines"],
        responses: { "200": jsonResponse("The pipelines in scope", schemas.convert(pipelineListSchema, "output")) },
      }),
    },
    "/api/agent/pipelines/{name}/runs": {
      post: operation("agent", {
        operationId: "startAgentRun",
        summary: "Run a pipeline in the agent's scope",
        description:
          "As POST /api/pipelines/{name}/runs, recorded with the agent as the actor. A name outside the scope is a 403 " +
          "(and an audit event) whether or not such a pipeline exists. Then the owner's approval policy for this agent and " +
          "pipeline: allow runs it; deny is a 403; ask (the default for external side effects) records the call and answers 202 " +
          "with status pending_approval and approval.pollUrl: nothing has run, do not call again, poll GET /api/agent/approvals/{id} " +
          "until it is approved (runId) or denied (reason). The same idempotencyKey returns the same pending request.",
        tags: ["agent", "runs"],
        parameters: [
          pipelineName,
          ...queryParameters(schemas, startRunQuery),
          {
            name: "Idempotency-Key",
            in: "header",
            required: false,
            description: "The same as the body's idempotencyKey (the body wins)",
            schema: { type: "string" },
          },
        ],
        requestBody: jsonBody(schemas.convert(startRunBody, "input")),
        responses: {
          "200": jsonResponse("The run succeeded", runBody, replayHeader),
          "202": jsonResponse(
            "Either the run is still going ({ run }: poll GET /api/runs/{id} with a session, or wait longer), or it waits for the " +
              "owner's approval ({ status: pending_approval, approval }: nothing ran; poll approval.pollUrl)",
            { oneOf: [runBody, pendingApprovalBodySchema(schemas)] },
            {
              ...replayHeader,
              location: { description: "The run (/api/runs/run_…) or the approval to poll (/api/agent/approvals/apr_…)", schema: { type: "string" } },
            },
          ),
          "400": badRequest,
          "404": notFound,
          "413": ref("responses", "PayloadTooLarge"),
          "415": ref("responses", "UnsupportedMediaType"),
          "422": jsonResponse("The run failed or was cancelled; the body carries it", schemas.convert(runFailedBodySchema, "output"), replayHeader),
        },
      }),
    },
    "/api/agent/job-kinds": {
      get: operation("agent", {
        operationId: "listAgentJobKinds",
        summary: "The job kinds this agent may claim, with their input and result schemas",
        tags: ["agent", "jobs"],
        responses: { "200": jsonResponse("The kinds in scope", schemas.convert(jobKindListSchema, "output")) },
      }),
    },
    "/api/agent/jobs/claim": {
      post: operation("agent", {
        operationId: "claimAgentJobs",
        summary: "Claim queued jobs",
        description:
          "The oldest of the highest-priority queued jobs of the kinds asked for (all kinds in scope when left out), each with " +
          "a lease id and lease expiry. Asking for a kind outside the scope is a 403, recorded.",
        tags: ["agent", "jobs"],
        requestBody: jsonBody(schemas.convert(claimRequest, "input"), "An empty object claims one job of any kind in scope"),
        responses: { "200": jsonResponse("The claimed jobs", schemas.convert(claimResponseSchema, "output")), "400": badRequest },
      }),
    },
    "/api/agent/jobs/{id}": {
      get: operation("agent", {
        operationId: "getAgentJob",
        summary: "A job this agent holds or has worked on, with its instructions and event trail",
        tags: ["agent", "jobs"],
        parameters: [jobId],
        responses: { "200": jsonResponse("The job", schemas.convert(jobDetailSchema, "output")), "404": jobNotFound },
      }),
    },
    "/api/agent/jobs/{id}/heartbeat": {
      post: operation("agent", {
        operationId: "heartbeatAgentJob",
        summary: "Extend the lease on a claimed job",
        description: "By the kind's lease length, never past the attempt's max runtime. A lapsed lease cannot be revived (409).",
        tags: ["agent", "jobs"],
        parameters: [jobId],
        requestBody: jsonBody(schemas.convert(heartbeatRequest, "input")),
        responses: {
          "200": jsonResponse("The new lease expiry", schemas.convert(heartbeatResponse, "output")),
          "400": badRequest,
          "404": jobNotFound,
          "409": leaseLost,
        },
      }),
    },
    "/api/agent/jobs/{id}/complete": {
      post: operation("agent", {
        operationId: "completeAgentJob",
        summary: "Hand back a job's result",
        description:
          "The result must match the kind's result schema: a mismatch is a 400 listing every field, recorded on the job, and " +
          "the job stays claimed so it can be fixed within the lease. Idempotent: sending the same result again answers 200 " +
          "with idempotent: true; a different result for a completed job is a 409.",
        tags: ["agent", "jobs"],
        parameters: [jobId],
        requestBody: jsonBody(schemas.convert(completeRequest, "input")),
        responses: {
          "200": jsonResponse("The job succeeded", schemas.convert(completion, "output")),
          "400": badRequest,
          "404": jobNotFound,
          "409": leaseLost,
        },
      }),
    },
    "/api/agent/jobs/{id}/fail": {
      post: operation("agent", {
        operationId: "failAgentJob",
        summary: "Give up on an attempt",
        description:
          "A retryable failure with attempts left goes back to the queue after an exponential backoff (5 s, 10 s, 20 s … at " +
          "most 5 min); otherwise the job is failed.",
        tags: ["agent", "jobs"],
        parameters: [jobId],
        requestBody: jsonBody(schemas.convert(failRequest, "input")),
        responses: {
          "200": jsonResponse("Queued again, or failed for good", schemas.convert(failure, "output")),
          "400": badRequest,
          "404": jobNotFound,
          "409": leaseLost,
        },
      }),
    },
    "/api/agent/mcp": {
      post: operation("agent", {
        operationId: "agentMcp",
        summary: "The MCP server for agents (Streamable HTTP, stateless)",
        description:
          "Model Context Protocol over Streamable HTTP without sessions: each POST carries one JSON-RPC message (or a batch) " +
          "and gets a JSON answer. Send Accept: application/json, text/event-stream. Tools: the job protocol (claim, " +
          "heartbeat, complete, fail) and one tool per pipeline in the agent's scope. A 401 carries a WWW-Authenticate: " +
          "Bearer challenge. Tool failures (scope refusals included) come back as JSON-RPC results with isError.",
        tags: ["agent"],
        requestBody: jsonBody(rpcBody, "A JSON-RPC 2.0 message or batch"),
        responses: {
          "200": jsonResponse("The JSON-RPC response(s)", rpcBody),
          "202": {
            description: "Accepted: the body held only notifications or responses",
            headers: { "x-request-id": ref("headers", "RequestId") },
          },
          "400": jsonResponse("Not a valid JSON-RPC message (a JSON-RPC error)", jsonRpcMessage),
          "406": jsonResponse("The Accept header does not allow application/json and text/event-stream", jsonRpcMessage),
          "415": jsonResponse("The body is not application/json", jsonRpcMessage),
        },
      }),
      get: operation("agent", {
        operationId: "agentMcpStream",
        summary: "Not supported: no server-to-client stream without sessions",
        tags: ["agent"],
        responses: { "405": notAllowed },
      }),
      delete: operation("agent", {
        operationId: "agentMcpEndSession",
        summary: "Not supported: there are no sessions to end",
        tags: ["agent"],
        responses: { "405": notAllowed },
      }),
    },

    // ---- Managing agents (session) ----
    "/api/agents": {
      get: operation("session", {
        operationId: "listAgents",
        summary: "List registered agents with their active token counts",
        tags: ["agents"],
        responses: { "200": jsonResponse("Every agent", schemas.convert(agentListSchema, "output")) },
      }),
      post: operation("session", {
        operationId: "createAgent",
        summary: "Register an agent",
        description: "Answers with its client secret: the only time it is shown.",
        tags: ["agents"],
        requestBody: jsonBody(schemas.convert(createAgentBody, "input")),
        responses: {
          "201": jsonResponse("The agent and its credential", schemas.convert(credentialsSchema, "output"), noStore),
          "400": badRequest,
          "409": jsonResponse("An agent with this name exists", error),
        },
      }),
    },
    "/api/agents/{id}": {
      get: operation("session", {
        operationId: "getAgent",
        summary: "Get an agent with its active tokens and latest audit events",
        tags: ["agents"],
        parameters: [agentRef],
        responses: { "200": jsonResponse("The agent", schemas.convert(agentDetailSchema, "output")), "404": notFound },
      }),
      patch: operation("session", {
        operationId: "updateAgent",
        summary: "Change an agent's description or scope",
        description: "A narrower scope applies on the agent's next request; tokens already issued are not reissued.",
        tags: ["agents"],
        parameters: [agentRef],
        requestBody: jsonBody(schemas.convert(updateAgentBody, "input")),
        responses: { "200": jsonResponse("The agent", agent), "400": badRequest, "404": notFound },
      }),
      delete: operation("session", {
        operationId: "deleteAgent",
        summary: "Delete an agent and its tokens (its audit events stay, detached)",
        tags: ["agents"],
        parameters: [agentRef],
        responses: { "200": jsonResponse("Deleted", schemas.convert(agentDeletedSchema, "output")), "404": notFound },
      }),
    },
    "/api/agents/{id}/rotate-secret": {
      post: operation("session", {
        operationId: "rotateAgentSecret",
        summary: "Replace an agent's client secret",
        description: "The new secret is shown this once; the old one stops working at once. Issued tokens stay valid unless revokeTokens is true.",
        tags: ["agents"],
        parameters: [agentRef],
        requestBody: jsonBody(schemas.convert(rotateSecretBody, "input")),
        responses: {
          "200": jsonResponse("The agent and its new credential", schemas.convert(rotatedSchema, "output"), noStore),
          "400": badRequest,
          "404": notFound,
        },
      }),
    },
    "/api/agents/{id}/disable": {
      post: operation("session", {
        operationId: "disableAgent",
        summary: "Disable an agent, revoking every token it holds",
        tags: ["agents"],
        parameters: [agentRef],
        responses: { "200": jsonResponse("The agent", agent), "404": notFound },
      }),
    },
    "/api/agents/{id}/enable": {
      post: operation("session", {
        operationId: "enableAgent",
        summary: "Enable an agent again (it must exchange its credential anew)",
        tags: ["agents"],
        parameters: [agentRef],
        responses: { "200": jsonResponse("The agent", agent), "404": notFound },
      }),
    },
    "/api/agents/{id}/revoke-tokens": {
      post: operation("session", {
        operationId: "revokeAgentTokens",
        summary: "Revoke every token an agent holds",
        tags: ["agents"],
        parameters: [agentRef],
        responses: { "200": jsonResponse("How many were revoked", schemas.convert(tokensRevokedSchema, "output")), "404": notFound },
      }),
    },
    "/api/agents/{id}/tokens": {
      get: operation("session", {
        operationId: "listAgentTokens",
        summary: "An agent's active tokens (ids, kinds, expiry; never the tokens)",
        tags: ["agents"],
        parameters: [agentRef],
        responses: { "200": jsonResponse("The active tokens", schemas.convert(tokenListSchema, "output")), "404": notFound },
      }),
    },
    "/api/agents/{id}/tokens/{tokenId}": {
      delete: operation("session", {
        operationId: "revokeAgentToken",
        summary: "Revoke one token; it stops working on its next use",
        tags: ["agents"],
        parameters: [agentRef, tokenId],
        responses: {
          "200": jsonResponse("Revoked", schemas.convert(tokenRevokedSchema, "output")),
          "404": jsonResponse("There is no such agent, or it has no active token with this id", error),
        },
      }),
    },
  };
}
