import type { CallToolResult, Tool } from "@modelcontextprotocol/sdk/types.js";
import { z } from "zod";
import type { AgentPrincipal } from "@/lib/agents/principal";
import { getApprovalForAgent } from "@/lib/approvals/request-approval";
import { validationError } from "@/lib/errors";
import { toJsonSchema } from "@/lib/pipelines/catalog";
import { jsonResult } from "@/lib/mcp/tool-result";

// approvals_get: an agent polls a pipeline call the owner has to approve (the MCP twin of
// GET /api/agent/approvals/{id}). Listed for agents that may run pipelines at all.

export const APPROVALS_GET = "approvals_get";

const input = z.object({ approvalId: z.string().min(1).max(100).describe("approval.id from a pending_approval answer") });

export function listApprovalTools(principal: AgentPrincipal): Tool[] {
  if (principal.pipelines.length === 0) return [];
  return [
    {
      name: APPROVALS_GET,
      title: "Check a pending approval",
      description:
        "The owner's decision on a pipeline call that answered pending_approval: status pending (ask again later, e.g. next round), " +
        "approved (runId is the run, with you as its actor) or denied (reason says why; do not retry the same call).",
      inputSchema: toJsonSchema(input, "input") as Tool["inputSchema"],
      annotations: { title: "Check a pending approval", readOnlyHint: true, openWorldHint: false },
    },
  ];
}

export async function callApprovalTool(principal: AgentPrincipal, args: Record<string, unknown> | undefined): Promise<CallToolResult> {
  const parsed = input.safeParse(args ?? {});
  if (!parsed.success) throw validationError(parsed.error, `Arguments for ${APPROVALS_GET}`);
  return jsonResult({ approval: await getApprovalForAgent(principal, parsed.data.approvalId) });
}
