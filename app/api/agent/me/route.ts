import { handle } from "@/lib/http/handler";
import { agentMeSchema } from "@/lib/agents/api-schemas";
import { jsonResponse } from "@/lib/openapi/operations";

// Who am I: the calling agent, its scope, and when the presented access token expires.
export const GET = handle({
  auth: "agent",
  openapi: {
    operationId: "getAgentSelf",
    summary: "The calling agent, its scope, and when the presented access token expires",
    tags: ["agent"],
    responses: { "200": jsonResponse("Who is calling", agentMeSchema) },
  },
}, async ({ agent }) => ({
  agent: { id: agent.agentId, name: agent.agentName },
  tokenId: agent.tokenId,
  expiresAt: agent.expiresAt?.toISOString() ?? null,
  scope: { jobKinds: agent.jobKinds, pipelines: agent.pipelines },
}));
