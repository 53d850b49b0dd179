import { handle } from "@/lib/http/handler";
import { jobKindsForAgent } from "@/lib/jobs/api";
import { jobKindListSchema } from "@/lib/agents/api-schemas";
import { jsonResponse } from "@/lib/openapi/operations";

export const GET = handle({
  auth: "agent",
  openapi: {
    operationId: "listAgentJobKinds",
    summary: "The job kinds this agent may claim, with their input and result schemas",
    tags: ["agent", "jobs"],
    responses: { "200": jsonResponse("The kinds in scope", jobKindListSchema) },
  },
}, async ({ agent }) => ({ kinds: jobKindsForAgent(agent) }));
