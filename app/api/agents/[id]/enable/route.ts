import { handle } from "@/lib/http/handler";
import { toAgentDto } from "@/lib/agents/dto";
import { setAgentDisabled } from "@/lib/agents/service";
import { agentRef, agentResponseSchema } from "@/lib/agents/api-schemas";
import { jsonResponse } from "@/lib/openapi/operations";

export const POST = handle<{ id: string }>({
  auth: "session",
  allow: "settings.manage",
  openapi: {
    operationId: "enableAgent",
    summary: "Enable an agent again (it must exchange its credential anew)",
    tags: ["agents"],
    parameters: [agentRef],
    responses: { "200": jsonResponse("The agent", agentResponseSchema), "404": "NotFound" },
  },
}, async ({ params, user }) => ({
  agent: toAgentDto(await setAgentDisabled(params.id, false, user.email)),
}));
