import { gateAgentCall } from "@/lib/approvals/request-approval";
import { pendingApprovalResponse } from "@/lib/approvals/pending-answer";
import { handle } from "@/lib/http/handler";
import { assertPipelineInScope } from "@/lib/agents/scope";
import { runResultResponse, startRunBody, startRunQuery } from "@/lib/pipelines/api";
import { runPipeline } from "@/lib/pipelines/run-pipeline";

// Runs a pipeline for an agent, as the session route does, after the scope check: a name outside
// the scope is 403 (recorded) whether or not such a pipeline exists, so agents cannot probe. Then
// the owner's policy: "ask" answers 202 pending_approval with an id to poll, "deny" is a 403.
export const POST = handle<{ name: string }>({ auth: "agent" }, async ({ params, body, query, agent, req, requestId }) => {
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
