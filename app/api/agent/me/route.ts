import { handle } from "@/lib/http/handler";

// Who am I: the calling agent, its scope, and when the presented access token expires.
export const GET = handle({ auth: "agent" }, async ({ agent }) => ({
  agent: { id: agent.agentId, name: agent.agentName },
  tokenId: agent.tokenId,
  expiresAt: agent.expiresAt?.toISOString() ?? null,
  scope: { jobKinds: agent.jobKinds, pipelines: agent.pipelines },
}));
