import type { NextRequest } from "next/server";
import { handle } from "@/lib/http/handler";
import { handleMcpPost, mcpMethodNotAllowed, withBearerChallenge } from "@/lib/mcp/handle-mcp-request";

// The MCP server for agents (Streamable HTTP, stateless), authenticated with the agent's bearer
// access token. Tools: the job protocol plus one tool per pipeline in the agent's scope.

type RouteArgs = { params: Promise<Record<string, string | string[]>> };

const post = handle({ auth: "agent" }, async ({ req, agent, requestId, log }) => handleMcpPost(req, agent, requestId, log));
const notAllowed = handle({ auth: "agent" }, async () => mcpMethodNotAllowed());

export async function POST(req: NextRequest, args: RouteArgs): Promise<Response> {
  return withBearerChallenge(await post(req, args));
}

export async function GET(req: NextRequest, args: RouteArgs): Promise<Response> {
  return withBearerChallenge(await notAllowed(req, args));
}

export async function DELETE(req: NextRequest, args: RouteArgs): Promise<Response> {
  return withBearerChallenge(await notAllowed(req, args));
}
