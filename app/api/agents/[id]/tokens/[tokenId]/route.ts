import { handle } from "@/lib/http/handler";
import { revokeToken } from "@/lib/agents/service";

export const DELETE = handle<{ id: string; tokenId: string }>({ auth: "session", allow: "settings.manage" }, async ({ params, user }) => {
  await revokeToken(params.id, params.tokenId, user.email);
  return { revoked: params.tokenId };
});
