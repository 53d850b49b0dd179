import { NextRequest } from "next/server";
import { POST as tokenRoute } from "@/app/api/agent/token/route";
import { peerAddressHeader } from "@/lib/http/ip";

// Helpers for agent tests: call the token endpoint and agent routes as an HTTP client would.

type Handler = (req: NextRequest, ctx: { params: Promise<Record<string, string>> }) => Promise<Response>;

export type Answer = { status: number; json: Record<string, unknown>; headers: Headers };

export async function callRoute(
  handler: Handler,
  path: string,
  init: {
    method?: string;
    body?: unknown;
    form?: Record<string, string>;
    token?: string;
    /** The connection's peer address, as the server records it (lib/http/peer-address.ts). */
    ip?: string;
    headers?: Record<string, string>;
    params?: Record<string, string>;
  } = {},
): Promise<Answer> {
  const headers: Record<string, string> = { ...init.headers };
  let body: string | undefined;
  if (init.form) {
    headers["content-type"] = "application/x-www-form-urlencoded";
    body = new URLSearchParams(init.form).toString();
  } else if (init.body !== undefined) {
    headers["content-type"] = "application/json";
    body = JSON.stringify(init.body);
  }
  if (init.token) headers.authorization = `Bearer ${init.token}`;
  if (init.ip) headers[peerAddressHeader()] = init.ip;
  const req = new NextRequest(`http://localhost${path}`, { method: init.method ?? (body ? "POST" : "GET"), headers, body });
  const res = await handler(req, { params: Promise.resolve(init.params ?? {}) });
  return { status: res.status, json: (await res.json()) as Record<string, unknown>, headers: res.headers };
}

export function requestToken(form: Record<string, string>, ip = "10.0.0.1", headers?: Record<string, string>): Promise<Answer> {
  return callRoute(tokenRoute as Handler, "/api/agent/token", { form, ip, headers });
}

export async function clientCredentialsToken(clientId: string, clientSecret: string, ip?: string) {
  const answer = await requestToken({ grant_type: "client_credentials", client_id: clientId, client_secret: clientSecret }, ip);
  if (answer.status !== 200) throw new Error(`token exchange failed: ${answer.status} ${JSON.stringify(answer.json)}`);
  return answer.json as { access_token: string; refresh_token: string; expires_in: number };
}
