import { handle } from "@/lib/http/handler";
import { getAgentPolicies, setPolicy, setPolicyBody } from "@/lib/approvals/policy";

// The owner's approval policy per pipeline in the agent's scope: allow, ask or deny.
export const GET = handle<{ id: string }>({ auth: "session", allow: "activity.view" }, async ({ params }) => ({ policies: await getAgentPolicies(params.id) }));

export const PUT = handle<{ id: string }>({ auth: "session", allow: "settings.manage" }, async ({ params, body, user }) => ({
  policy: await setPolicy(params.id, await body(setPolicyBody), user.email),
}));
