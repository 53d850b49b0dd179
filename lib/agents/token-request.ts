import { z } from "zod";
import { AppError, validationError } from "@/lib/errors";
import { assertStorable } from "@/lib/http/storable-input";

// The body of POST /api/agent/token: JSON or OAuth-style application/x-www-form-urlencoded, with
// grant_type client_credentials (client_id + client_secret) or refresh_token (refresh_token).

const MAX_BODY_BYTES = 10_000;

export const tokenRequest = z.discriminatedUnion("grant_type", [
  z.object({
    grant_type: z.literal("client_credentials"),
    client_id: z.string().min(1).max(200),
    client_secret: z.string().min(1).max(500),
  }),
  z.object({
    grant_type: z.literal("refresh_token"),
    refresh_token: z.string().min(1).max(500),
  }),
]).meta({ id: "AgentTokenRequest" });

export type TokenRequest = z.infer<typeof tokenRequest>;

function storable<T>(body: T): T {
  assertStorable(body, "Token request");
  return body;
}

async function readBody(req: Request): Promise<Record<string, unknown>> {
  const type = req.headers.get("content-type") ?? "";
  const text = await req.text();
  if (text.length > MAX_BODY_BYTES) throw new AppError("payload_too_large", "The request body is too large");
  if (type.includes("application/x-www-form-urlencoded")) return storable(Object.fromEntries(new URLSearchParams(text)));
  if (type.includes("application/json")) {
    let parsed: unknown;
    try {
      parsed = text.trim() ? JSON.parse(text) : {};
    } catch {
      // reported below
    }
    if (parsed && typeof parsed === "object" && !Array.isArray(parsed)) return storable(parsed as Record<string, unknown>);
    throw new AppError("bad_request", "The request body is not a JSON object");
  }
  throw new AppError(
    "unsupported_media_type",
    "Send the body as JSON (application/json) or as a form (application/x-www-form-urlencoded)",
  );
}

export async function parseTokenRequest(req: Request): Promise<TokenRequest> {
  const body = await readBody(req);
  const grant = body.grant_type;
  if (grant !== "client_credentials" && grant !== "refresh_token") {
    throw new AppError("bad_request", 'grant_type must be "client_credentials" or "refresh_token"', {
      error: "unsupported_grant_type",
    });
  }
  const parsed = tokenRequest.safeParse(body);
  if (!parsed.success) throw validationError(parsed.error, "Token request");
  return parsed.data;
}
