import { handle } from "@/lib/http/handler";
import { cancelJob } from "@/lib/jobs/manage-jobs";
import { jobResponseSchema } from "@/lib/jobs/api-schemas";
import { jsonResponse, pathParameter } from "@/lib/openapi/operations";

export const POST = handle<{ id: string }>({
  auth: "session",
  allow: "work.run",
  openapi: {
    operationId: "cancelJob",
    summary: "Cancel a queued or claimed job",
    description: "The holder's lease stops counting at once: its next heartbeat, complete or fail is a 409.",
    tags: ["jobs"],
    parameters: [pathParameter("id", "The job's id (job_…)", { type: "string" })],
    responses: { "200": jsonResponse("The job, now cancelled", jobResponseSchema), "404": "NotFound", "409": "Conflict" },
  },
}, async ({ params, user }) => ({ job: await cancelJob(user, params.id, { userId: user.id, label: user.email }) }));
