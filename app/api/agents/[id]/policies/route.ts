import { handle } from "@/lib/http/handler";
import { getAgentPolicies, setPolicy, setPolicyBody } from "@/lib/approvals/policy";
import { jsonBody, jsonResponse, pathParameter } from "@/lib/openapi/operations";
import { policiesSchema, policyResponseSchema } from "@/lib/approvals/api-schemas";

// The owner's approval policy per pipeline in the agent's scope: allow, ask or deny.
export const GET = handle<{ id: string }>({
  auth: "session",
  allow: "activity.view",
  openapi: {
    operationId: "listAgentPolicies",
    summary: "The agent's approval policy for each pipeline in its scope",
    description: "allow runs at once, ask waits for the owner, deny refuses. Without a stored policy: external side effects ask, the rest allow.",
    tags: ["approvals", "agents"],
    parameters: [pathParameter("id", "The agent's id (agt_…)", { type: "string" })],
    responses: { "200": jsonResponse("The policies", policiesSchema), "404": "NotFound" },
  },
}, async ({ params }) => ({ policies: await getAgentPolicies(params.id) }));

export const PUT = handle<{ id: string }>({
  auth: "session",
  allow: "settings.manage",
  openapi: {
    operationId: "setAgentPolicy",
    summary: "Set the agent's policy for one pipeline (default removes it)",
    tags: ["approvals", "agents"],
    parameters: [pathParameter("id", "The agent's id (agt_…)", { type: "string" })],
    requestBody: jsonBody(setPolicyBody),
    responses: { "200": jsonResponse("The policy now", policyResponseSchema), "400": "BadRequest", "404": "NotFound" },
  },
}, async ({ params, body, user }) => ({
  policy: await setPolicy(params.id, await body(setPolicyBody), user.email),
}));
