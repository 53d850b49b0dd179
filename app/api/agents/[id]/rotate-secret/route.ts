import { NextResponse } from "next/server";
import { getConfig } from "@/lib/config";
import { handle } from "@/lib/http/handler";
import { rotateSecretBody, tokenCurl, toAgentDto } from "@/lib/agents/dto";
import { rotateClientSecret } from "@/lib/agents/service";
import { agentRef, noStore, rotatedSchema } from "@/lib/agents/api-schemas";
import { jsonBody, jsonResponse } from "@/lib/openapi/operations";

// A new client secret, shown once. Tokens already issued stay valid unless revokeTokens is true.
export const POST = handle<{ id: string }>({
  auth: "session",
  allow: "settings.manage",
  openapi: {
    operationId: "rotateAgentSecret",
    summary: "Replace an agent's client secret",
    description: "The new secret is shown this once; the old one stops working at once. Issued tokens stay valid unless revokeTokens is true.",
    tags: ["agents"],
    parameters: [agentRef],
    requestBody: jsonBody(rotateSecretBody),
    responses: {
      "200": jsonResponse("The agent and its new credential", rotatedSchema, noStore),
      "400": "BadRequest",
      "404": "NotFound",
    },
  },
}, async ({ params, body, user }) => {
  const { revokeTokens } = await body(rotateSecretBody);
  const rotated = await rotateClientSecret(params.id, { revokeTokens, by: user.email });
  return NextResponse.json(
    {
      agent: toAgentDto(rotated.agent),
      clientId: rotated.clientId,
      clientSecret: rotated.clientSecret,
      revokedTokens: rotated.revokedTokens,
      tokenCurl: tokenCurl(getConfig().APP_URL, rotated.clientId, rotated.clientSecret),
    },
    { headers: { "cache-control": "no-store" } },
  );
});
