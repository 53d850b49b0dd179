import { NextResponse } from "next/server";
import { handle } from "@/lib/http/handler";
import { parseTokenRequest } from "@/lib/agents/token-request";
import { clientIp } from "@/lib/http/ip";
import { exchangeClientCredentials, refreshTokens } from "@/lib/agents/tokens";

// OAuth-style token endpoint: client credentials → access + refresh token; refresh token → a new
// pair (the old refresh token is spent). Public: the credentials in the body are the auth.
export const POST = handle({ auth: "public" }, async ({ req, requestId }) => {
  const request = await parseTokenRequest(req);
  const ip = clientIp(req.headers);
  const tokens =
    request.grant_type === "client_credentials"
      ? await exchangeClientCredentials(request.client_id, request.client_secret, ip, requestId)
      : await refreshTokens(request.refresh_token, ip, requestId);
  return NextResponse.json(tokens, { headers: { "cache-control": "no-store" } });
});
