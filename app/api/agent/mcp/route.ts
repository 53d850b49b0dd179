import type { NextRequest } from "next/server";
import { jsonRpcMessage, notAllowed, rpcBody } from "@/lib/agents/api-schemas";
import { handle, type RouteHandler } from "@/lib/http/handler";
import { handleMcpPost, mcpMethodNotAllowed, withBearerChallenge } from "@/lib/mcp/handle-mcp-request";
import { jsonBody, jsonResponse, ref } from "@/lib/openapi/operations";

// The MCP server for agents (Streamable HTTP, stateless), authenticated with the agent's bearer
// access token. Tools: the job protocol plus one tool per pipeline in the agent's scope.

type RouteArgs = { params: Promise<Record<string, string | string[]>> };

/** Adds the WWW-Authenticate challenge MCP clients expect on a 401; keeps the handler's contract. */
function challenging(handler: RouteHandler): RouteHandler {
  const challenged = async (req: NextRequest, args: RouteArgs) => withBearerChallenge(await handler(req, args));
  return Object.assign(challenged, { contract: handler.contract });
}

export const POST = challenging(
  handle(
    {
      auth: "agent",
      openapi: {
        operationId: "agentMcp",
        summary: "The MCP server for agents (Streamable HTTP, stateless)",
        description:
          "Model Context Protocol over Streamable HTTP without sessions: each POST carries one JSON-RPC message (or a batch) " +
          "and gets a JSON answer. Send Accept: application/json, text/event-stream. Tools: the job protocol (claim, " +
          "heartbeat, complete, fail) and one tool per pipeline in the agent's scope. A 401 carries a WWW-Authenticate: " +
          "Bearer challenge. Tool failures (scope refusals included) come back as JSON-RPC results with isError.",
        tags: ["agent"],
        requestBody: jsonBody(rpcBody, "A JSON-RPC 2.0 message or batch"),
        responses: {
          "200": jsonResponse("The JSON-RPC response(s)", rpcBody),
          "202": {
            description: "Accepted: the body held only notifications or responses",
            headers: { "x-request-id": ref("headers", "RequestId") },
          },
          "400": jsonResponse("Not a valid JSON-RPC message (a JSON-RPC error)", jsonRpcMessage),
          "406": jsonResponse("The Accept header does not allow application/json and text/event-stream", jsonRpcMessage),
          "415": jsonResponse("The body is not application/json", jsonRpcMessage),
        },
      },
    },
    async ({ req, agent, requestId, log }) => handleMcpPost(req, agent, requestId, log),
  ),
);

export const GET = challenging(
  handle(
    {
      auth: "agent",
      openapi: {
        operationId: "agentMcpStream",
        summary: "Not supported: no server-to-client stream without sessions",
        tags: ["agent"],
        responses: { "405": notAllowed },
      },
    },
    async () => mcpMethodNotAllowed(),
  ),
);

export const DELETE = challenging(
  handle(
    {
      auth: "agent",
      openapi: {
        operationId: "agentMcpEndSession",
        summary: "Not supported: there are no sessions to end",
        tags: ["agent"],
        responses: { "405": notAllowed },
      },
    },
    async () => mcpMethodNotAllowed(),
  ),
);
