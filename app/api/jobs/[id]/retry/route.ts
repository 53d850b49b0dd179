import { handle } from "@/lib/http/handler";
import { retryJob } from "@/lib/jobs/manage-jobs";
import { jobResponseSchema } from "@/lib/jobs/api-schemas";
import { jsonResponse, pathParameter } from "@/lib/openapi/operations";

export const POST = handle<{ id: string }>({
  auth: "session",
  allow: "work.run",
  openapi: {
    operationId: "retryJob",
    summary: "Queue a failed, dead or cancelled job again",
    tags: ["jobs"],
    parameters: [pathParameter("id", "The job's id (job_…)", { type: "string" })],
    responses: { "200": jsonResponse("The job, queued again", jobResponseSchema), "404": "NotFound", "409": "Conflict" },
  },
}, async ({ params, user }) => ({ job: await retryJob(user, params.id, { userId: user.id, label: user.email }) }));
