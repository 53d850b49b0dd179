import { handle } from "@/lib/http/handler";
import { revokeAllForAgent } from "@/lib/agents/service";
import { agentRef, tokensRevokedSchema } from "@/lib/agents/api-schemas";
import { jsonResponse } from "@/lib/openapi/operations";

export const POST = handle<{ id: string }>({
  auth: "session",
  allow: "settings.manage",
  openapi: {
    operationId: "revokeAgentTokens",
    summary: "Revoke every token an agent holds",
    tags: ["agents"],
    parameters: [agentRef],
    responses: { "200": jsonResponse("How many were revoked", tokensRevokedSchema), "404": "NotFound" },
  },
}, async ({ params, user }) => {
  const { revoked } = await revokeAllForAgent(params.id, user.email);
  return { revoked };
});
