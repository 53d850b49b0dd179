import { handle } from "@/lib/http/handler";
import { describePipelinesInScope } from "@/lib/agents/scope";

// The pipelines this agent may run, with their input and output JSON Schemas; nothing else is listed.
export const GET = handle({ auth: "agent" }, async ({ agent }) => ({
  pipelines: describePipelinesInScope(agent),
}));
