import { handle } from "@/lib/http/handler";
import { toTokenDto } from "@/lib/agents/dto";
import { listAgentTokens } from "@/lib/agents/service";
import { agentRef, tokenListSchema } from "@/lib/agents/api-schemas";
import { jsonResponse } from "@/lib/openapi/operations";

// The agent's active tokens (ids, kinds, expiry); never the tokens or their hashes.
export const GET = handle<{ id: string }>({
  auth: "session",
  allow: "activity.view",
  openapi: {
    operationId: "listAgentTokens",
    summary: "An agent's active tokens (ids, kinds, expiry; never the tokens)",
    tags: ["agents"],
    parameters: [agentRef],
    responses: { "200": jsonResponse("The active tokens", tokenListSchema), "404": "NotFound" },
  },
}, async ({ params }) => ({
  tokens: (await listAgentTokens(params.id)).map(toTokenDto),
}));
