import { autocommit } from "@/lib/db/transaction";
import { AppError } from "@/lib/errors";
import { getLogger } from "@/lib/logger";
import { allPipelines, type PipelineDescription, describePipeline } from "@/lib/pipelines/catalog";
import type { AnyPipeline } from "@/lib/pipelines/define";
import * as audit from "@/lib/agents/audit.repository";
import type { AgentPrincipal } from "@/lib/agents/principal";

// The scope is enforced where work executes: every pipeline run and job claim by an agent passes
// through one of these asserts. A refusal is a 403 and an audit row. A name outside the scope gets
// the same 403 whether or not it exists, so an agent cannot probe for pipelines or kinds.

type Denied = "pipeline" | "jobKind" | "tool" | "resource";

const DENIED_MESSAGE: Record<Denied, (target: string) => string> = {
  pipeline: (target) => `This agent may not run pipeline ${target}`,
  jobKind: (target) => `This agent may not work on job kind ${target}`,
  tool: (target) => `This agent may not call ${target}; tools/list shows the tools it may call`,
  resource: (target) => `This agent may not read ${target}; resources/list and resources/templates/list show what it may read`,
};

async function deny(principal: AgentPrincipal, target: string, what: Denied, requestId: string): Promise<never> {
  await audit.recordAudit(autocommit(), {
    agentId: principal.agentId,
    tokenId: principal.tokenId,
    action: "scope.denied",
    target,
    allowed: false,
    detail: { what },
    requestId,
  });
  getLogger({ component: "agents" }).warn({ agentId: principal.agentId, target, what }, "agent scope denied");
  throw new AppError("forbidden", DENIED_MESSAGE[what](target.slice(0, 200)), { target: target.slice(0, 200), scope: what });
}

export async function assertPipelineInScope(principal: AgentPrincipal, name: string, requestId: string): Promise<void> {
  if (!principal.pipelines.includes(name)) await deny(principal, name, "pipeline", requestId);
}

export async function assertJobKindInScope(principal: AgentPrincipal, kind: string, requestId: string): Promise<void> {
  if (!principal.jobKinds.includes(kind)) await deny(principal, kind, "jobKind", requestId);
}

/** A tool name or resource URI that is not ours: refused and recorded like any out-of-scope name. */
export async function denyUnknown(principal: AgentPrincipal, name: string, what: "tool" | "resource", requestId: string): Promise<never> {
  return deny(principal, name.slice(0, 200), what, requestId);
}

/** The registered pipelines this agent may run (scope entries that no longer exist are skipped). */
export function pipelinesInScope(principal: AgentPrincipal): AnyPipeline[] {
  return allPipelines().filter((pipeline) => principal.pipelines.includes(pipeline.name));
}

export function describePipelinesInScope(principal: AgentPrincipal): PipelineDescription[] {
  return pipelinesInScope(principal).map(describePipeline);
}

/** The job kinds this agent may list and claim. */
export function jobKindsInScope(principal: AgentPrincipal): string[] {
  return [...principal.jobKinds];
}
