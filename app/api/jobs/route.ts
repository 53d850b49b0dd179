import { handle } from "@/lib/http/handler";
import { createJobBody } from "@/lib/jobs/api";
import { listJobs, listJobsQuery } from "@/lib/jobs/read-jobs";
import { runResultResponse, userActor } from "@/lib/pipelines/api";
import { runPipeline } from "@/lib/pipelines/run-pipeline";
import { jobListSchema } from "@/lib/jobs/api-schemas";
import { IDEMPOTENT_REPLAY_HEADER, jsonBody, jsonResponse } from "@/lib/openapi/operations";
import { runFailedBodySchema, runResponseSchema } from "@/lib/openapi/schemas";

export const GET = handle({
  auth: "session",
  allow: "activity.view",
  openapi: {
    operationId: "listJobs",
    summary: "List jobs, newest first, with counts per status",
    description: "Filter by status, kind, creating run and agent; page with `cursor` (the last job's id).",
    tags: ["jobs"],
    query: listJobsQuery,
    responses: { "200": jsonResponse("A page of jobs", jobListSchema), "400": "BadRequest" },
  },
}, async ({ query, user }) => listJobs(user, query(listJobsQuery)));

// Created through the agent-jobs.create pipeline, like every job, so the run records who asked.
export const POST = handle({
  auth: "session",
  allow: "work.run",
  openapi: {
    operationId: "createJob",
    summary: "Queue a job for agents",
    description:
      "Runs the agent-jobs.create pipeline, which checks the input against the kind's input schema and queues the job; " +
      "the answer is that run, as for POST /api/pipelines/{name}/runs (its output carries the job). An idempotency key " +
      "returns the first job made with it. To queue many jobs in one run (up to 1,000, all or none), run the pipeline " +
      "with `{ jobs: [...] }` through POST /api/pipelines/agent-jobs.create/runs.",
    tags: ["jobs", "runs"],
    requestBody: jsonBody(createJobBody),
    responses: {
      "200": jsonResponse("The job is queued; the run's output carries it", runResponseSchema, IDEMPOTENT_REPLAY_HEADER),
      "202": jsonResponse("The run is still going; poll the Location (GET /api/runs/{id})", runResponseSchema, {
        ...IDEMPOTENT_REPLAY_HEADER,
        location: { description: "The run, e.g. /api/runs/run_…", schema: { type: "string" } },
      }),
      "400": "BadRequest",
      "413": "PayloadTooLarge",
      "415": "UnsupportedMediaType",
      "422": jsonResponse(
        "The run failed (an unknown kind, input that does not match the kind, an idempotency key used for another kind)",
        runFailedBodySchema,
        IDEMPOTENT_REPLAY_HEADER,
      ),
    },
  },
}, async ({ body, user, requestId }) => {
  const input = await body(createJobBody);
  const result = await runPipeline({ name: "agent-jobs.create", input, trigger: "dashboard", actor: userActor(user), requestId });
  return runResultResponse(result, requestId);
});
