import { NextResponse } from "next/server";
import { getConfig } from "@/lib/config";
import { handle } from "@/lib/http/handler";
import { createAgentBody, tokenCurl, toAgentDto } from "@/lib/agents/dto";
import { createAgent, listAgentsWithStats } from "@/lib/agents/service";
import { agentListSchema, credentialsSchema, noStore } from "@/lib/agents/api-schemas";
import { errorResponse, jsonBody, jsonResponse } from "@/lib/openapi/operations";

export const GET = handle({
  auth: "session",
  allow: "activity.view",
  openapi: {
    operationId: "listAgents",
    summary: "List registered agents with their active token counts",
    tags: ["agents"],
    responses: { "200": jsonResponse("Every agent", agentListSchema) },
  },
}, async () => ({
  agents: (await listAgentsWithStats()).map(toAgentDto),
}));

// The client secret is in this response and nowhere else, ever.
export const POST = handle({
  auth: "session",
  allow: "settings.manage",
  openapi: {
    operationId: "createAgent",
    summary: "Register an agent",
    description: "Answers with its client secret: the only time it is shown.",
    tags: ["agents"],
    requestBody: jsonBody(createAgentBody),
    responses: {
      "201": jsonResponse("The agent and its credential", credentialsSchema, noStore),
      "400": "BadRequest",
      "409": errorResponse("An agent with this name exists"),
    },
  },
}, async ({ body, user }) => {
  const input = await body(createAgentBody);
  const { agent, clientId, clientSecret } = await createAgent(input, user.email);
  return NextResponse.json(
    { agent: toAgentDto({ ...agent, activeTokens: 0 }), clientId, clientSecret, tokenCurl: tokenCurl(getConfig().APP_URL, clientId, clientSecret) },
    { status: 201, headers: { "cache-control": "no-store" } },
  );
});
