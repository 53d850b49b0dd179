import { handle } from "@/lib/http/handler";
import { toAgentDto } from "@/lib/agents/dto";
import { setAgentDisabled } from "@/lib/agents/service";
import { agentRef, agentResponseSchema } from "@/lib/agents/api-schemas";
import { jsonResponse } from "@/lib/openapi/operations";

// Disabling revokes every token of the agent at once.
export const POST = handle<{ id: string }>({
  auth: "session",
  allow: "settings.manage",
  openapi: {
    operationId: "disableAgent",
    summary: "Disable an agent, revoking every token it holds",
    tags: ["agents"],
    parameters: [agentRef],
    responses: { "200": jsonResponse("The agent", agentResponseSchema), "404": "NotFound" },
  },
}, async ({ params, user }) => ({
  agent: toAgentDto(await setAgentDisabled(params.id, true, user.email)),
}));
