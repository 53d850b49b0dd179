import { handle } from "@/lib/http/handler";
import { getJobForAgent } from "@/lib/jobs/read-jobs";
import { jobDetailSchema } from "@/lib/jobs/api-schemas";
import { jobNotFound } from "@/lib/agents/api-schemas";
import { jsonResponse, pathParameter } from "@/lib/openapi/operations";

export const GET = handle<{ id: string }>({
  auth: "agent",
  openapi: {
    operationId: "getAgentJob",
    summary: "A job this agent holds or has worked on, with its instructions and event trail",
    tags: ["agent", "jobs"],
    parameters: [pathParameter("id", "The job's id (job_…)", { type: "string" })],
    responses: { "200": jsonResponse("The job", jobDetailSchema), "404": jobNotFound },
  },
}, async ({ agent, params }) => getJobForAgent(agent, params.id));
