import { WebStandardStreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js";
import type { Logger } from "pino";
import type { AgentPrincipal } from "@/lib/agents/principal";
import { createMcpServer } from "@/lib/mcp/create-server";
import { findUnstorable } from "@/lib/http/storable-input";

// Streamable HTTP in stateless mode: each POST carries one JSON-RPC message (or batch) and gets
// a JSON answer. No session lives between requests, so several app instances can serve the same
// agent and a token's scope or revocation takes effect on the very next request.

/**
 * Tool arguments reach SQL like any body: a NUL, a lone surrogate or absurd nesting is answered
 * with a JSON-RPC "invalid params" error (HTTP 400) before the server sees the message.
 */
async function refuseUnstorable(req: Request): Promise<{ request: Request } | { response: Response }> {
  const text = await req.text();
  let message: unknown;
  try {
    message = JSON.parse(text);
  } catch {
    message = undefined; // the transport answers malformed JSON-RPC itself
  }
  const found = message === undefined ? null : findUnstorable(message);
  if (found) {
    const id = message && typeof message === "object" && "id" in message ? (message as { id: unknown }).id : null;
    const where = found.path ? `"${found.path}"` : "the message";
    return {
      response: Response.json(
        { jsonrpc: "2.0", error: { code: -32602, message: `Invalid params: ${where} ${found.problem}` }, id: typeof id === "string" || typeof id === "number" ? id : null },
        { status: 400 },
      ),
    };
  }
  return { request: new Request(req.url, { method: req.method, headers: req.headers, body: text }) };
}

export async function handleMcpPost(req: Request, principal: AgentPrincipal, requestId: string, log: Logger): Promise<Response> {
  const checked = await refuseUnstorable(req);
  if ("response" in checked) return checked.response;
  const server = createMcpServer(principal, requestId, log);
  const transport = new WebStandardStreamableHTTPServerTransport({ sessionIdGenerator: undefined, enableJsonResponse: true });
  transport.onerror = (error) => log.warn({ err: error }, "MCP transport error");
  await server.connect(transport);
  try {
    return await transport.handleRequest(checked.request);
  } finally {
    await server.close();
  }
}

/**
 * GET (a standalone server-to-client stream) and DELETE (ending a session) mean nothing without
 * sessions; the specification lets a server answer 405, and clients carry on with POST only.
 */
export function mcpMethodNotAllowed(): Response {
  return Response.json(
    { jsonrpc: "2.0", error: { code: -32000, message: "Method not allowed: this MCP endpoint is stateless, use POST" }, id: null },
    { status: 405, headers: { allow: "POST" } },
  );
}

/** 401s carry the challenge the HTTP and MCP authorization specs ask for. */
export function withBearerChallenge(response: Response): Response {
  if (response.status === 401 && !response.headers.has("www-authenticate")) {
    response.headers.set("www-authenticate", 'Bearer realm="personal-automations", error="invalid_token"');
  }
  return response;
}
