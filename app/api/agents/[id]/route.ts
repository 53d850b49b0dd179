import { handle } from "@/lib/http/handler";
import { toAgentDto, toAuditDto, toTokenDto, updateAgentBody } from "@/lib/agents/dto";
import { deleteAgent, getAgentDetail, updateAgent } from "@/lib/agents/service";
import { agentDeletedSchema, agentDetailSchema, agentRef, agentResponseSchema } from "@/lib/agents/api-schemas";
import { jsonBody, jsonResponse } from "@/lib/openapi/operations";

export const GET = handle<{ id: string }>({
  auth: "session",
  allow: "activity.view",
  openapi: {
    operationId: "getAgent",
    summary: "Get an agent with its active tokens and latest audit events",
    tags: ["agents"],
    parameters: [agentRef],
    responses: { "200": jsonResponse("The agent", agentDetailSchema), "404": "NotFound" },
  },
}, async ({ params }) => {
  const detail = await getAgentDetail(params.id);
  return { agent: toAgentDto(detail.agent), tokens: detail.tokens.map(toTokenDto), audit: detail.audit.map(toAuditDto) };
});

export const PATCH = handle<{ id: string }>({
  auth: "session",
  allow: "settings.manage",
  openapi: {
    operationId: "updateAgent",
    summary: "Change an agent's description or scope",
    description: "A narrower scope applies on the agent's next request; tokens already issued are not reissued.",
    tags: ["agents"],
    parameters: [agentRef],
    requestBody: jsonBody(updateAgentBody),
    responses: { "200": jsonResponse("The agent", agentResponseSchema), "400": "BadRequest", "404": "NotFound" },
  },
}, async ({ params, body, user }) => ({
  agent: toAgentDto(await updateAgent(params.id, await body(updateAgentBody), user.email)),
}));

export const DELETE = handle<{ id: string }>({
  auth: "session",
  allow: "settings.manage",
  openapi: {
    operationId: "deleteAgent",
    summary: "Delete an agent and its tokens (its audit events stay, detached)",
    tags: ["agents"],
    parameters: [agentRef],
    responses: { "200": jsonResponse("Deleted", agentDeletedSchema), "404": "NotFound" },
  },
}, async ({ params }) => {
  const agent = await deleteAgent(params.id);
  return { deleted: agent.id };
});
