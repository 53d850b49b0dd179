import { handle } from "@/lib/http/handler";
import { toTokenDto } from "@/lib/agents/dto";
import { listAgentTokens } from "@/lib/agents/service";

// The agent's active tokens (ids, kinds, expiry); never the tokens or their hashes.
export const GET = handle<{ id: string }>({ auth: "session", allow: "activity.view" }, async ({ params }) => ({
  tokens: (await listAgentTokens(params.id)).map(toTokenDto),
}));
