import { z } from "zod";
import { type toAgentDto, type toAuditDto, type toTokenDto } from "@/lib/agents/dto";
import type { AgentPrincipal } from "@/lib/agents/principal";
import type { IssuedCredentials, revokeAllForAgent, rotateClientSecret } from "@/lib/agents/service";
import type { TokenResponse } from "@/lib/agents/tokens";
import type { jobKindsForAgent } from "@/lib/jobs/api";
import { claimedJobSchema, type claimJobs } from "@/lib/jobs/claim-jobs";
import { errorResponse, jsonResponse, pathParameter } from "@/lib/openapi/operations";
import type { Exactly, Expect, Returned } from "@/lib/openapi/types";
import type { JsonSchema } from "@/lib/pipelines/catalog";

// The response shapes (zod) and shared declaration parts that these routes' handle() declarations
// use for the OpenAPI document.
//
// Agents: the management API people use (/api/agents/**, session) and the API agents call
// (/api/agent/**, a bearer access token from POST /api/agent/token).

export const iso = z.iso.datetime();
export const scopeList = z.array(z.string());

export const agentHealthSchema = z
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

export const agentDtoSchema = z
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

export const agentTokenDtoSchema = z
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

export const agentAuditDtoSchema = z
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

export const agentResponseSchema = z.object({ agent: agentDtoSchema });
export const agentListSchema = z.object({ agents: z.array(agentDtoSchema) });
export const agentDetailSchema = z.object({
  agent: agentDtoSchema,
  tokens: z.array(agentTokenDtoSchema).describe("Active tokens"),
  audit: z.array(agentAuditDtoSchema).describe("The latest audit events, newest first"),
});
export const credentialsSchema = z.object({
  agent: agentDtoSchema,
  clientId: z.string(),
  clientSecret: z.string().describe("Shown in this response and nowhere else, ever"),
  tokenCurl: z.string().describe("A ready-to-paste curl that exchanges the credential for tokens"),
});
export const rotatedSchema = credentialsSchema.extend({ revokedTokens: z.number().int() });
export const tokenListSchema = z.object({ tokens: z.array(agentTokenDtoSchema) });
export const agentDeletedSchema = z.object({ deleted: z.string().describe("The deleted agent's id") });
export const tokensRevokedSchema = z.object({ revoked: z.number().int().describe("How many tokens were revoked") });
export const tokenRevokedSchema = z.object({ revoked: z.string().describe("The revoked token's id") });

export const tokenResponseSchema = z
  .object({
    access_token: z.string().describe("Send as Authorization: Bearer …"),
    token_type: z.literal("Bearer"),
    expires_in: z.number().int().describe("Seconds until the access token expires"),
    refresh_token: z.string().describe("Single use: spend it at this endpoint for a new pair"),
    refresh_expires_in: z.number().int().describe("Seconds until the refresh token expires"),
    scope: z.object({ jobKinds: scopeList, pipelines: scopeList }),
  })
  .meta({ id: "AgentTokenResponse" });

export const agentMeSchema = z.object({
  agent: z.object({ id: z.string(), name: z.string() }),
  tokenId: z.string().describe("The presented access token's id"),
  expiresAt: iso.nullable().describe("When the presented access token expires"),
  scope: z.object({ jobKinds: scopeList, pipelines: scopeList }),
});

export const jobKindSchema = z
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
export const jobKindListSchema = z.object({ kinds: z.array(jobKindSchema) });
export const claimResponseSchema = z.object({ jobs: z.array(claimedJobSchema).describe("Empty when nothing is queued") });

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
export const jsonRpcMessage: JsonSchema = {
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

// Parts of the routes' OpenAPI declarations that several routes share.

export const agentRef = pathParameter("id", "The agent's id (agt_…) or its name", { type: "string" });

export const noStore = { "cache-control": { description: "no-store: the body holds a secret", schema: { type: "string", const: "no-store" } } };

export const leaseLost = errorResponse("The lease is lost: it expired, the job was cancelled or reclaimed, or the lease id is not the current one. Stop working on the job.");

export const jobNotFound = errorResponse("There is no such job, or this agent never held it");

export const rpcBody = { anyOf: [jsonRpcMessage, { type: "array", items: jsonRpcMessage, minItems: 1 }] };

export const notAllowed = jsonResponse("This MCP endpoint is stateless: use POST", jsonRpcMessage, {
    allow: { description: "POST", schema: { type: "string" } },
  });
