import { NextResponse } from "next/server";
import { getConfig } from "@/lib/config";
import { handle } from "@/lib/http/handler";
import { rotateSecretBody, tokenCurl, toAgentDto } from "@/lib/agents/dto";
import { rotateClientSecret } from "@/lib/agents/service";

// A new client secret, shown once. Tokens already issued stay valid unless revokeTokens is true.
export const POST = handle<{ id: string }>({ auth: "session", allow: "settings.manage" }, async ({ params, body, user }) => {
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
