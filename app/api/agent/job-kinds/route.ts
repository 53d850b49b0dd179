import { handle } from "@/lib/http/handler";
import { jobKindsForAgent } from "@/lib/jobs/api";

export const GET = handle({ auth: "agent" }, async ({ agent }) => ({ kinds: jobKindsForAgent(agent) }));
