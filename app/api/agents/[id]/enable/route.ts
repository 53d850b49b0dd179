import { handle } from "@/lib/http/handler";
import { toAgentDto } from "@/lib/agents/dto";
import { setAgentDisabled } from "@/lib/agents/service";

export const POST = handle<{ id: string }>({ auth: "session", allow: "settings.manage" }, async ({ params, user }) => ({
  agent: toAgentDto(await setAgentDisabled(params.id, false, user.email)),
}));
