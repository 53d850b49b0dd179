import { NextResponse } from "next/server";
import { handle } from "@/lib/http/handler";
import { parseTokenRequest, tokenRequest } from "@/lib/agents/token-request";
import { clientIp } from "@/lib/http/ip";
import { exchangeClientCredentials, refreshTokens } from "@/lib/agents/tokens";
import { errorResponse, jsonResponse, ref } from "@/lib/openapi/operations";
import { noStore, tokenResponseSchema } from "@/lib/agents/api-schemas";

// OAuth-style token endpoint: client credentials → access + refresh token; refresh token → a new
// pair (the old refresh token is spent). Public: the credentials in the body are the auth.
export const POST = handle({
  auth: "public",
  openapi: {
    operationId: "issueAgentToken",
    summary: "Exchange a client credential, or a refresh token, for an access + refresh token pair",
    description:
      "OAuth 2.0 style, form-encoded (application/x-www-form-urlencoded) or JSON. grant_type=client_credentials with " +
      "client_id and client_secret starts a token family; grant_type=refresh_token spends the refresh token (single use) " +
      "for a new pair in the same family. Presenting a spent refresh token again revokes the whole family. Failures are " +
      "recorded and rate limited per client id and address.",
    tags: ["agent"],
    requestBody: {
      required: true,
      content: {
        "application/x-www-form-urlencoded": { schema: tokenRequest },
        "application/json": { schema: tokenRequest },
      },
    },
    responses: {
      "200": jsonResponse("The token pair", tokenResponseSchema, noStore),
      "400": jsonResponse(
        'The body is malformed, grant_type is unknown (details.error "unsupported_grant_type") or a field is invalid',
        { anyOf: [ref("schemas", "ValidationError"), ref("schemas", "Error")] },
      ),
      "401": jsonResponse(
        'The credential is wrong or the agent disabled (details.error "invalid_client"), or the refresh token is unknown, ' +
          'expired, revoked or reused (details.error "invalid_grant")',
        ref("schemas", "Error"),
      ),
      "413": "PayloadTooLarge",
      "415": errorResponse("The body is neither JSON nor a form"),
      "429": errorResponse("Too many failed token requests; details.retryAfterSeconds says when to try again"),
    },
  },
}, async ({ req, requestId }) => {
  const request = await parseTokenRequest(req);
  const ip = clientIp(req.headers);
  const tokens =
    request.grant_type === "client_credentials"
      ? await exchangeClientCredentials(request.client_id, request.client_secret, ip, requestId)
      : await refreshTokens(request.refresh_token, ip, requestId);
  return NextResponse.json(tokens, { headers: { "cache-control": "no-store" } });
});
