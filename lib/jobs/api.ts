import { jobKindsInScope } from "@/lib/agents/scope";
import type { AgentPrincipal } from "@/lib/agents/principal";
import { createJobRequest } from "@/lib/jobs/create-job";
import { describeJobKind, findJobKind, type JobKindDescription } from "@/lib/jobs/kinds";

// Request shapes of the jobs API that are not a service's own (the OpenAPI document uses these too).

export const createJobBody = createJobRequest.meta({ id: "CreateAgentJobRequest" });

/** The kinds this agent may claim, with their input and result schemas (instructions come with each claimed job). */
export function jobKindsForAgent(principal: AgentPrincipal): JobKindDescription[] {
  return jobKindsInScope(principal).flatMap((name) => {
    const kind = findJobKind(name);
    return kind ? [describeJobKind(kind)] : [];
  });
}

