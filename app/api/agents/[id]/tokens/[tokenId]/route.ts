import { handle } from "@/lib/http/handler";
import { revokeToken } from "@/lib/agents/service";
import { agentRef, tokenRevokedSchema } from "@/lib/agents/api-schemas";
import { errorResponse, jsonResponse, pathParameter } from "@/lib/openapi/operations";

export const DELETE = handle<{ id: string; tokenId: string }>({
  auth: "session",
  allow: "settings.manage",
  openapi: {
    operationId: "revokeAgentToken",
    summary: "Revoke one token; it stops working on its next use",
    tags: ["agents"],
    parameters: [agentRef, pathParameter("tokenId", "The token's id (tok_…)", { type: "string" })],
    responses: {
      "200": jsonResponse("Revoked", tokenRevokedSchema),
      "404": errorResponse("There is no such agent, or it has no active token with this id"),
    },
  },
}, async ({ params, user }) => {
  await revokeToken(params.id, params.tokenId, user.email);
  return { revoked: params.tokenId };
});
