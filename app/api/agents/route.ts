import { NextResponse } from "next/server";
import { getConfig } from "@/lib/config";
import { handle } from "@/lib/http/handler";
import { createAgentBody, tokenCurl, toAgentDto } from "@/lib/agents/dto";
import { createAgent, listAgentsWithStats } from "@/lib/agents/service";

export const GET = handle({ auth: "session", allow: "activity.view" }, async () => ({
  agents: (await listAgentsWithStats()).map(toAgentDto),
}));

// The client secret is in this response and nowhere else, ever.
export const POST = handle({ auth: "session", allow: "settings.manage" }, async ({ body, user }) => {
  const input = await body(createAgentBody);
  const { agent, clientId, clientSecret } = await createAgent(input, user.email);
  return NextResponse.json(
    { agent: toAgentDto({ ...agent, activeTokens: 0 }), clientId, clientSecret, tokenCurl: tokenCurl(getConfig().APP_URL, clientId, clientSecret) },
    { status: 201, headers: { "cache-control": "no-store" } },
  );
});
