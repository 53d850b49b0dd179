import { z } from "zod";
import { agentApprovalSchema, approvalDtoSchema } from "@/lib/approvals/approval-dto";
import { denyBody, type approve, type deny, type retryApprovedRun } from "@/lib/approvals/decide-approval";
import { pendingApprovalSchema } from "@/lib/approvals/pending-answer";
import { policySchema, setPolicyBody, type getAgentPolicies, type setPolicy } from "@/lib/approvals/policy";
import { approvalDetailSchema, approvalListSchema, listApprovalsQuery, type getApprovalDetail, type listApprovals } from "@/lib/approvals/read-approvals";
import type { getApprovalForAgent } from "@/lib/approvals/request-approval";
import type { SchemaComponents } from "@/lib/openapi/json-schema";
import { jsonBody, jsonResponse, operation, pathParameter, queryParameters, ref } from "@/lib/openapi/operations";
import type { Exactly, Expect, PathItem, Returned } from "@/lib/openapi/types";
import { runDtoSchema } from "@/lib/pipelines/run-dto";

// Approvals: the owner's list and decisions (/api/approvals/**, session), the per-agent policies
// (/api/agents/{id}/policies), and the agent's poll of its own request (/api/agent/approvals/{id}).

const decisionSchema = z.object({ approval: approvalDtoSchema, run: runDtoSchema.nullable().describe("The run the decision started, if any") }).meta({ id: "ApprovalDecision" });
const countSchema = z.object({ pending: z.number().int() }).meta({ id: "PendingApprovalCount" });
const policiesSchema = z.object({ policies: z.array(policySchema) }).meta({ id: "ApprovalPolicyList" });
const policyResponseSchema = z.object({ policy: policySchema });
const agentApprovalResponseSchema = z.object({ approval: agentApprovalSchema });

export type ApprovalPathChecks = [
  Expect<Exactly<z.infer<typeof approvalListSchema>, Returned<typeof listApprovals>>>,
  Expect<Exactly<z.infer<typeof approvalDetailSchema>, Returned<typeof getApprovalDetail>>>,
  Expect<Exactly<z.infer<typeof approvalDtoSchema>, Returned<typeof approve>["approval"]>>,
  Expect<Exactly<z.infer<typeof approvalDtoSchema>, Returned<typeof deny>["approval"]>>,
  Expect<Exactly<z.infer<typeof approvalDtoSchema>, Returned<typeof retryApprovedRun>["approval"]>>,
  Expect<Exactly<z.infer<typeof policySchema>[], Returned<typeof getAgentPolicies>>>,
  Expect<Exactly<z.infer<typeof policySchema>, Returned<typeof setPolicy>>>,
  Expect<Exactly<z.infer<typeof agentApprovalSchema>, Returned<typeof getApprovalForAgent>>>,
];

export function buildApprovalPaths(schemas: SchemaComponents): Record<string, PathItem> {
  const notFound = ref("responses", "NotFound");
  const badRequest = ref("responses", "BadRequest");
  const conflict = ref("responses", "Conflict");
  const approvalId = pathParameter("id", "The approval's id (apr_…)", { type: "string" });
  const decision = schemas.convert(decisionSchema, "output");
  return {
    "/api/approvals": {
      get: operation("session", {
        operationId: "listApprovals",
        summary: "Everything waiting on the owner, and what was decided",
        description:
          "Reply drafts waiting to be sent, agents' calls to pipelines their policy says to ask about, and results an agent " +
          "flagged for a human. Newest first; `pending` counts every pending approval.",
        tags: ["approvals"],
        parameters: queryParameters(schemas, listApprovalsQuery),
        responses: { "200": jsonResponse("A page of approvals", schemas.convert(approvalListSchema, "output")), "400": badRequest },
      }),
    },
    "/api/approvals/count": {
      get: operation("session", {
        operationId: "countPendingApprovals",
        summary: "How many approvals are pending (the navigation's badge)",
        tags: ["approvals"],
        responses: { "200": jsonResponse("The count", schemas.convert(countSchema, "output")) },
      }),
    },
    "/api/approvals/{id}": {
      get: operation("session", {
        operationId: "getApproval",
        summary: "One approval with its job, the reply the agent wrote, the message it answers and its run",
        tags: ["approvals"],
        parameters: [approvalId],
        responses: { "200": jsonResponse("The approval", schemas.convert(approvalDetailSchema, "output")), "404": notFound },
      }),
    },
    "/api/approvals/{id}/approve": {
      post: operation("session", {
        operationId: "approveApproval",
        summary: "Approve: run what it holds, once",
        description:
          "A reply draft is sent from Gmail (email.send-draft, exactly that draft, once); an agent's call runs through the runner " +
          "as that agent (idempotency key approval:<id>). A second decision is a 409.",
        tags: ["approvals"],
        parameters: [approvalId],
        responses: { "200": jsonResponse("Approved, with the run it started", decision), "404": notFound, "409": conflict },
      }),
    },
    "/api/approvals/{id}/deny": {
      post: operation("session", {
        operationId: "denyApproval",
        summary: "Deny with a reason: nothing runs",
        description: "The agent sees the reason when it polls. A denied reply draft is deleted from Gmail (email.discard-draft). A second decision is a 409.",
        tags: ["approvals"],
        parameters: [approvalId],
        requestBody: jsonBody(schemas.convert(denyBody, "input")),
        responses: { "200": jsonResponse("Denied", decision), "400": badRequest, "404": notFound, "409": conflict },
      }),
    },
    "/api/approvals/{id}/retry": {
      post: operation("session", {
        operationId: "retryApprovedRun",
        summary: "Run an approved call again after its run failed",
        description:
          "Only for an approved approval whose run failed or was cancelled (e.g. the mailbox was disconnected when the reply was to be " +
          "sent). The new run replaces the failed one as the approval's runId; two requests start one run. Otherwise a 409.",
        tags: ["approvals"],
        parameters: [approvalId],
        responses: { "200": jsonResponse("The approval, with the new run", decision), "404": notFound, "409": conflict },
      }),
    },
    "/api/agents/{id}/policies": {
      get: operation("session", {
        operationId: "listAgentPolicies",
        summary: "The agent's approval policy for each pipeline in its scope",
        description: "allow runs at once, ask waits for the owner, deny refuses. Without a stored policy: external side effects ask, the rest allow.",
        tags: ["approvals", "agents"],
        parameters: [pathParameter("id", "The agent's id (agt_…)", { type: "string" })],
        responses: { "200": jsonResponse("The policies", schemas.convert(policiesSchema, "output")), "404": notFound },
      }),
      put: operation("session", {
        operationId: "setAgentPolicy",
        summary: "Set the agent's policy for one pipeline (default removes it)",
        tags: ["approvals", "agents"],
        parameters: [pathParameter("id", "The agent's id (agt_…)", { type: "string" })],
        requestBody: jsonBody(schemas.convert(setPolicyBody, "input")),
        responses: { "200": jsonResponse("The policy now", schemas.convert(policyResponseSchema, "output")), "400": badRequest, "404": notFound },
      }),
    },
    "/api/agent/approvals/{id}": {
      get: operation("agent", {
        operationId: "getAgentApproval",
        summary: "Poll a call that waits for the owner's approval",
        description:
          "When a pipeline call answers 202 with status pending_approval, nothing has run. Poll this (e.g. on your next round) " +
          "until status is approved (runId is the run, with you as its actor) or denied (reason says why; do not retry the same call).",
        tags: ["agent", "approvals"],
        parameters: [approvalId],
        responses: { "200": jsonResponse("The request and its decision", schemas.convert(agentApprovalResponseSchema, "output")), "404": notFound },
      }),
    },
  };
}

/** The pending-approval answer's schema (one of the 202 bodies of POST /api/agent/pipelines/{name}/runs). */
export function pendingApprovalBodySchema(schemas: SchemaComponents) {
  return schemas.convert(pendingApprovalSchema, "output");
}
