import { handle } from "@/lib/http/handler";
import { getJob } from "@/lib/jobs/read-jobs";
import { jsonResponse, pathParameter } from "@/lib/openapi/operations";
import { ownerJobDetailSchema } from "@/lib/jobs/api-schemas";

export const GET = handle<{ id: string }>({
  auth: "session",
  allow: "activity.view",
  openapi: {
    operationId: "getJob",
    summary: "Get a job with its instructions, event trail and outcome",
    description:
      "`outcome` says what a succeeded job's result became: the result run (pending, done or failed), its artifact (a hub " +
      "note or content draft by path, a Gmail draft by thread) and the approval it waits on.",
    tags: ["jobs"],
    parameters: [pathParameter("id", "The job's id (job_…)", { type: "string" })],
    responses: { "200": jsonResponse("The job", ownerJobDetailSchema), "404": "NotFound" },
  },
}, async ({ params, user }) => getJob(user, params.id));
