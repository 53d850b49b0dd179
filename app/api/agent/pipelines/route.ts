import { handle } from "@/lib/http/handler";
import { describePipelinesInScope } from "@/lib/agents/scope";
import { jsonResponse } from "@/lib/openapi/operations";
import { pipelineListSchema } from "@/lib/openapi/schemas";

// The pipelines this agent may run, with their input and output JSON Schemas; nothing else is listed.
export const GET = handle({
  auth: "agent",
  openapi: {
    operationId: "listAgentPipelines",
    summary: "The pipelines this agent may run, with their input and output JSON Schemas",
    description: "Only pipelines in the agent's scope are listed.",
    tags: ["agent", "pipelines"],
    responses: { "200": jsonResponse("The pipelines in scope", pipelineListSchema) },
  },
}, async ({ agent }) => ({
  pipelines: describePipelinesInScope(agent),
}));
