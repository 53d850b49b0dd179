import { handle } from "@/lib/http/handler";
import { toAgentDto, toAuditDto, toTokenDto, updateAgentBody } from "@/lib/agents/dto";
import { deleteAgent, getAgentDetail, updateAgent } from "@/lib/agents/service";

export const GET = handle<{ id: string }>({ auth: "session", allow: "activity.view" }, async ({ params }) => {
  const detail = await getAgentDetail(params.id);
  return { agent: toAgentDto(detail.agent), tokens: detail.tokens.map(toTokenDto), audit: detail.audit.map(toAuditDto) };
});

export const PATCH = handle<{ id: string }>({ auth: "session", allow: "settings.manage" }, async ({ params, body, user }) => ({
  agent: toAgentDto(await updateAgent(params.id, await body(updateAgentBody), user.email)),
}));

export const DELETE = handle<{ id: string }>({ auth: "session", allow: "settings.manage" }, async ({ params }) => {
  const agent = await deleteAgent(params.id);
  return { deleted: agent.id };
});
