import { handle } from "@/lib/http/handler";
import { revokeAllForAgent } from "@/lib/agents/service";

export const POST = handle<{ id: string }>({ auth: "session", allow: "settings.manage" }, async ({ params, user }) => {
  const { revoked } = await revokeAllForAgent(params.id, user.email);
  return { revoked };
});
