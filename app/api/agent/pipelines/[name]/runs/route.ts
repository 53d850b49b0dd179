import { gateAgentCall } from "@/lib/approvals/request-approval";
import { pendingApprovalResponse, pendingApprovalSchema } from "@/lib/approvals/pending-answer";
import { handle } from "@/lib/http/handler";
import { assertPipelineInScope } from "@/lib/agents/scope";
import { runResultResponse, startRunBody, startRunQuery } from "@/lib/pipelines/api";
import { runPipeline } from "@/lib/pipelines/run-pipeline";
import { IDEMPOTENT_REPLAY_HEADER, jsonBody, jsonResponse } from "@/lib/openapi/operations";
import { pipelineName } from "@/lib/openapi/schemas";
import { runFailedBodySchema, runResponseSchema } from "@/lib/openapi/schemas";

// Runs a pipeline for an agent, as the session route does, after the scope check: a name outside
// the scope is 403 (recorded) whether or not such a pipeline exists, so agents cannot probe. Then
// the owner's policy: "ask" answers 202 pending_approval with an id to poll, "deny" is a 403.
export const POST = handle<{ name: string }>({
  auth: "agent",
  openapi: {
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
      {
        name: "Idempotency-Key",
        in: "header",
        required: false,
        description: "The same as the body's idempotencyKey (the body wins)",
        schema: { type: "string" },
      }],
    query: startRunQuery,
    requestBody: jsonBody(startRunBody),
    responses: {
      "200": jsonResponse("The run succeeded", runResponseSchema, IDEMPOTENT_REPLAY_HEADER),
      "202": jsonResponse(
        "Either the run is still going ({ run }: poll GET /api/runs/{id} with a session, or wait longer), or it waits for the " +
          "owner's approval ({ status: pending_approval, approval }: nothing ran; poll approval.pollUrl)",
        { oneOf: [runResponseSchema, pendingApprovalSchema] },
        {
          ...IDEMPOTENT_REPLAY_HEADER,
          location: { description: "The run (/api/runs/run_…) or the approval to poll (/api/agent/approvals/apr_…)", schema: { type: "string" } },
        },
      ),
      "400": "BadRequest",
      "404": "NotFound",
      "413": "PayloadTooLarge",
      "415": "UnsupportedMediaType",
      "422": jsonResponse("The run failed or was cancelled; the body carries it", runFailedBodySchema, IDEMPOTENT_REPLAY_HEADER),
    },
  },
}, async ({ params, body, query, agent, req, requestId }) => {
  await assertPipelineInScope(agent, params.name, requestId);
  const { wait } = query(startRunQuery);
  const { input, idempotencyKey } = await body(startRunBody);
  const key = idempotencyKey ?? req.headers.get("idempotency-key");
  const gate = await gateAgentCall(agent, params.name, input, { requestId, idempotencyKey: key });
  if (gate.kind === "pending") return pendingApprovalResponse(gate.approval, requestId);
  const result = await runPipeline({
    name: params.name,
    input,
    trigger: "agent",
    actor: { type: "agent", id: agent.agentId, label: agent.agentName, tokenId: agent.tokenId },
    requestId,
    idempotencyKey: key,
    waitMs: wait * 1000,
  });
  return runResultResponse(result, requestId);
});
