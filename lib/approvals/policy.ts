import { z } from "zod";
import { autocommit } from "@/lib/db/transaction";
import { AppError, validationError } from "@/lib/errors";
import { findPipeline } from "@/lib/pipelines/catalog";
import type { AnyPipeline } from "@/lib/pipelines/define";

// Per agent and pipeline: allow (run at once), ask (record a pending approval), deny (refuse).
// Without a stored policy, a pipeline with external side effects asks and the others are allowed:
// an agent never reaches the outside world without the owner's say unless the owner chose so.
// The scope still decides first which pipelines an agent may call at all.

export const POLICY_MODES = ["allow", "ask", "deny"] as const;
export type PolicyMode = (typeof POLICY_MODES)[number];

export const policySchema = z
  .object({
    pipeline: z.string().min(1).max(100),
    mode: z.enum(POLICY_MODES),
    explicit: z.boolean().describe("False when it is the default (external side effects ask, the rest allow)"),
  })
  .meta({ id: "ApprovalPolicy" });

export type Policy = z.infer<typeof policySchema>;

export const setPolicyBody = z
  .object({
    pipeline: z.string().min(1).max(100),
    mode: z.enum([...POLICY_MODES, "default"]).describe("default removes the stored policy"),
  })
  .meta({ id: "SetApprovalPolicyRequest" });

export function defaultMode(pipeline: Pick<AnyPipeline, "sideEffects">): PolicyMode {
  return pipeline.sideEffects === "external" ? "ask" : "allow";
}

export async function policyFor(agentId: string, pipeline: AnyPipeline): Promise<Policy> {
  const row = await autocommit().approvalPolicy.findUnique({ where: { agentId_pipeline: { agentId, pipeline: pipeline.name } } });
  const parsed = z.enum(POLICY_MODES).safeParse(row?.mode);
  return parsed.success ? { pipeline: pipeline.name, mode: parsed.data, explicit: true } : { pipeline: pipeline.name, mode: defaultMode(pipeline), explicit: false };
}

/** The effective policy for each of `pipelines` (an agent's scope). */
export async function listPolicies(agentId: string, pipelines: readonly string[]): Promise<Policy[]> {
  const rows = await autocommit().approvalPolicy.findMany({ where: { agentId } });
  const stored = new Map(rows.map((r) => [r.pipeline, r.mode]));
  return pipelines.flatMap((name) => {
    const pipeline = findPipeline(name);
    if (!pipeline) return [];
    const mode = z.enum(POLICY_MODES).safeParse(stored.get(name));
    return [mode.success ? { pipeline: name, mode: mode.data, explicit: true } : { pipeline: name, mode: defaultMode(pipeline), explicit: false }];
  });
}

export async function setPolicy(agentId: string, request: unknown, updatedBy: string): Promise<Policy> {
  const parsed = setPolicyBody.safeParse(request);
  if (!parsed.success) throw validationError(parsed.error, "Approval policy");
  const pipeline = findPipeline(parsed.data.pipeline);
  if (!pipeline) throw new AppError("validation_failed", `There is no pipeline named "${parsed.data.pipeline}"`, { field: "pipeline" });
  const db = autocommit();
  if (!(await db.agent.findUnique({ where: { id: agentId }, select: { id: true } }))) throw new AppError("not_found", `There is no agent ${agentId}`);
  if (parsed.data.mode === "default") {
    await db.approvalPolicy.deleteMany({ where: { agentId, pipeline: pipeline.name } });
    return { pipeline: pipeline.name, mode: defaultMode(pipeline), explicit: false };
  }
  const mode = parsed.data.mode;
  await db.approvalPolicy.upsert({
    where: { agentId_pipeline: { agentId, pipeline: pipeline.name } },
    create: { agentId, pipeline: pipeline.name, mode, updatedBy },
    update: { mode, updatedBy },
  });
  return { pipeline: pipeline.name, mode, explicit: true };
}

/** The effective policy for every pipeline in the agent's scope; 404 when there is no such agent. */
export async function getAgentPolicies(agentId: string): Promise<Policy[]> {
  const agent = await autocommit().agent.findUnique({ where: { id: agentId }, select: { pipelines: true } });
  if (!agent) throw new AppError("not_found", `There is no agent ${agentId}`);
  return listPolicies(agentId, agent.pipelines);
}
