import { handle } from "@/lib/http/handler";
import { createJobBody } from "@/lib/jobs/api";
import { listJobs, listJobsQuery } from "@/lib/jobs/read-jobs";
import { runResultResponse, userActor } from "@/lib/pipelines/api";
import { runPipeline } from "@/lib/pipelines/run-pipeline";

export const GET = handle({ auth: "session", allow: "activity.view" }, async ({ query }) => listJobs(query(listJobsQuery)));

// Created through the agent-jobs.create pipeline, like every job, so the run records who asked.
export const POST = handle({ auth: "session", allow: "work.run" }, async ({ body, user, requestId }) => {
  const input = await body(createJobBody);
  const result = await runPipeline({ name: "agent-jobs.create", input, trigger: "dashboard", actor: userActor(user), requestId });
  return runResultResponse(result, requestId);
});
