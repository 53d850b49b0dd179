import type { CallToolResult, Tool } from "@modelcontextprotocol/sdk/types.js";
import type { Logger } from "pino";
import { assertPipelineInScope, pipelinesInScope } from "@/lib/agents/scope";
import { pendingApprovalBody } from "@/lib/approvals/pending-answer";
import { gateAgentCall } from "@/lib/approvals/request-approval";
import type { AgentPrincipal } from "@/lib/agents/principal";
import { describePipeline, getPipeline } from "@/lib/pipelines/catalog";
import type { AnyPipeline, SideEffects } from "@/lib/pipelines/define";
import { toRunDto } from "@/lib/pipelines/run-dto";
import { MAX_WAIT_MS, runPipeline } from "@/lib/pipelines/run-pipeline";
import { pipelineToolName } from "@/lib/mcp/tool-names";
import { errorResult, jsonResult } from "@/lib/mcp/tool-result";

// One MCP tool per pipeline in the agent's scope. The input schema is the pipeline's own JSON
// Schema, so the model fills in exactly what the run will validate.

const SIDE_EFFECTS_NOTE: Record<SideEffects, string> = {
  none: "Side effects: none (read-only).",
  internal: "Side effects: changes data inside Personal Automations (for example the context hub).",
  external:
    "Side effects: acts on an external system (for example Gmail). Only call it when the job asks for it. The owner may have to approve it first: " +
    'then the answer is {"status":"pending_approval","approval":{"id":…}} and nothing has run yet; poll approvals_get with that id.',
};

export function pipelineTool(pipeline: AnyPipeline): Tool {
  const described = describePipeline(pipeline);
  return {
    name: pipelineToolName(pipeline.name),
    title: described.title,
    description: `${described.description}\n\nRuns the pipeline "${pipeline.name}"; every run is recorded. ${SIDE_EFFECTS_NOTE[described.sideEffects]}`,
    inputSchema: described.inputSchema as Tool["inputSchema"],
    annotations: {
      title: described.title,
      readOnlyHint: described.sideEffects === "none",
      destructiveHint: described.sideEffects === "external",
      openWorldHint: described.sideEffects === "external",
    },
  };
}

export function listPipelineTools(principal: AgentPrincipal): Tool[] {
  return pipelinesInScope(principal).map(pipelineTool);
}

/**
 * Runs a pipeline for the agent. The scope check happens here, where the work executes: a name
 * outside the scope is refused (and the refusal recorded) even though it was never listed.
 */
export async function callPipelineTool(
  principal: AgentPrincipal,
  pipelineName: string,
  args: Record<string, unknown> | undefined,
  requestId: string,
  log: Logger,
): Promise<CallToolResult> {
  await assertPipelineInScope(principal, pipelineName, requestId);
  const pipeline = getPipeline(pipelineName);
  const gate = await gateAgentCall(principal, pipeline.name, args ?? {}, { requestId });
  if (gate.kind === "pending") {
    log.info({ pipeline: pipeline.name, approvalId: gate.approval.id }, "MCP pipeline call waits for approval");
    return jsonResult({ ...pendingApprovalBody(gate.approval), pollWith: { tool: "approvals_get", args: { approvalId: gate.approval.id } } });
  }
  const result = await runPipeline({
    name: pipeline.name,
    input: args ?? {},
    trigger: "agent",
    actor: { type: "agent", id: principal.agentId, label: principal.agentName, tokenId: principal.tokenId },
    requestId,
    // Wait for the whole run when it can finish within the longest wait we allow.
    waitMs: Math.min(pipeline.timeoutMs + 1_000, MAX_WAIT_MS),
  });
  const run = toRunDto(result.run);
  log.info({ pipeline: run.pipeline, runId: run.id, status: run.status }, "MCP pipeline call");
  const summary = { runId: run.id, pipeline: run.pipeline, status: run.status };
  if (!result.finished) {
    return jsonResult({ ...summary, note: "The run is still going; its result will be in the run record." });
  }
  if (run.status === "succeeded") return jsonResult({ ...summary, output: run.output });
  return errorResult(run.error ?? { code: "run_failed", message: `The run ${run.status}` }, summary);
}
