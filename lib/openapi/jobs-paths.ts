import { z } from "zod";
import { createJobBody } from "@/lib/jobs/api";
import { jobDtoSchema, jobEventDtoSchema } from "@/lib/jobs/job-dto";
import { jobOutcomeSchema } from "@/lib/jobs/job-outcome";
import type { cancelJob, retryJob } from "@/lib/jobs/manage-jobs";
import { listJobsQuery, type getJob, type getJobForAgent, type listJobs } from "@/lib/jobs/read-jobs";
import type { SchemaComponents } from "@/lib/openapi/json-schema";
import { jsonBody, jsonResponse, operation, pathParameter, queryParameters, ref } from "@/lib/openapi/operations";
import { runFailedBodySchema, runResponseSchema } from "@/lib/openapi/schemas";
import type { Exactly, Expect, PathItem, Returned } from "@/lib/openapi/types";

// Jobs for agents, as people see them: the board, one job with its trail, cancel and retry, and
// creating one (through the agent-jobs.create pipeline, so a run records who asked). The agent's
// side of the protocol (claim, heartbeat, complete, fail) is in agent-paths.ts.

export const jobDetailSchema = z
  .object({
    job: jobDtoSchema,
    instructions: z.string().nullable().describe("Markdown for the agent; null when the job's kind is no longer defined"),
    events: z.array(jobEventDtoSchema).describe("Oldest first"),
  })
  .meta({ id: "AgentJobDetail" });

/** The owner's view adds what the result became. */
export const ownerJobDetailSchema = jobDetailSchema
  .extend({ outcome: jobOutcomeSchema.describe("What the job's result became: its result run, the artifact and the approval") })
  .meta({ id: "AgentJobOwnerDetail" });

const jobListSchema = z.object({
  jobs: z.array(jobDtoSchema).describe("Newest first"),
  nextCursor: z.string().nullable().describe("Pass as `cursor` for the next page; null on the last page"),
  // Spelled out rather than z.record(z.enum(…)), which converts to `required` without `properties`.
  counts: z
    .object({
      queued: z.number().int(),
      claimed: z.number().int(),
      succeeded: z.number().int(),
      failed: z.number().int(),
      dead: z.number().int(),
      cancelled: z.number().int(),
    })
    .describe("Jobs per status, for the kind, run and agent filters"),
});
const jobResponseSchema = z.object({ job: jobDtoSchema });

export type _JobShapeChecks = [
  Expect<Exactly<z.infer<typeof jobListSchema>, Returned<typeof listJobs>>>,
  Expect<Exactly<z.infer<typeof ownerJobDetailSchema>, Returned<typeof getJob>>>,
  Expect<Exactly<z.infer<typeof jobDetailSchema>, Returned<typeof getJobForAgent>>>,
  Expect<Exactly<z.infer<typeof jobResponseSchema>["job"], Returned<typeof cancelJob>>>,
  Expect<Exactly<z.infer<typeof jobResponseSchema>["job"], Returned<typeof retryJob>>>,
];

export function buildJobsPaths(schemas: SchemaComponents): Record<string, PathItem> {
  const jobId = pathParameter("id", "The job's id (job_…)", { type: "string" });
  const job = schemas.convert(jobResponseSchema, "output");
  const runBody = schemas.convert(runResponseSchema, "output");
  const replayHeader = { "x-idempotent-replay": ref("headers", "IdempotentReplay") };
  const notFound = ref("responses", "NotFound");
  const badRequest = ref("responses", "BadRequest");
  const conflict = ref("responses", "Conflict");

  return {
    "/api/jobs": {
      get: operation("session", {
        operationId: "listJobs",
        summary: "List jobs, newest first, with counts per status",
        description: "Filter by status, kind, creating run and agent; page with `cursor` (the last job's id).",
        tags: ["jobs"],
        parameters: queryParameters(schemas, listJobsQuery),
        responses: { "200": jsonResponse("A page of jobs", schemas.convert(jobListSchema, "output")), "400": badRequest },
      }),
      post: operation("session", {
        operationId: "createJob",
        summary: "Queue a job for agents",
        description:
          "Runs the agent-jobs.create pipeline, which checks the input against the kind's input schema and queues the job; " +
          "the answer is that run, as for POST /api/pipelines/{name}/runs (its output carries the job). An idempotency key " +
          "returns the first job made with it. To queue many jobs in one run (up to 1,000, all or none), run the pipeline " +
          "with `{ jobs: [...] }` through POST /api/pipelines/agent-jobs.create/runs.",
        tags: ["jobs", "runs"],
        requestBody: jsonBody(schemas.convert(createJobBody, "input")),
        responses: {
          "200": jsonResponse("The job is queued; the run's output carries it", runBody, replayHeader),
          "202": jsonResponse("The run is still going; poll the Location (GET /api/runs/{id})", runBody, {
            ...replayHeader,
            location: { description: "The run, e.g. /api/runs/run_…", schema: { type: "string" } },
          }),
          "400": badRequest,
          "413": ref("responses", "PayloadTooLarge"),
          "415": ref("responses", "UnsupportedMediaType"),
          "422": jsonResponse(
            "The run failed (an unknown kind, input that does not match the kind, an idempotency key used for another kind)",
            schemas.convert(runFailedBodySchema, "output"),
            replayHeader,
          ),
        },
      }),
    },
    "/api/jobs/{id}": {
      get: operation("session", {
        operationId: "getJob",
        summary: "Get a job with its instructions, event trail and outcome",
        description:
          "`outcome` says what a succeeded job's result became: the result run (pending, done or failed), its artifact (a hub " +
          "note or content draft by path, a Gmail draft by thread) and the approval it waits on.",
        tags: ["jobs"],
        parameters: [jobId],
        responses: { "200": jsonResponse("The job", schemas.convert(ownerJobDetailSchema, "output")), "404": notFound },
      }),
    },
    "/api/jobs/{id}/cancel": {
      post: operation("session", {
        operationId: "cancelJob",
        summary: "Cancel a queued or claimed job",
        description: "The holder's lease stops counting at once: its next heartbeat, complete or fail is a 409.",
        tags: ["jobs"],
        parameters: [jobId],
        responses: { "200": jsonResponse("The job, now cancelled", job), "404": notFound, "409": conflict },
      }),
    },
    "/api/jobs/{id}/retry": {
      post: operation("session", {
        operationId: "retryJob",
        summary: "Queue a failed, dead or cancelled job again",
        tags: ["jobs"],
        parameters: [jobId],
        responses: { "200": jsonResponse("The job, queued again", job), "404": notFound, "409": conflict },
      }),
    },
    "/api/jobs/{id}/retry-result": {
      post: operation("session", {
        operationId: "retryJobResult",
        summary: "Run a succeeded job's result handler again after its run failed",
        description:
          "Starts the kind's result pipeline again (the handlers are idempotent per job: nothing is written twice) and links the new run " +
          "as the job's resultRunId; the job's trail records a result_retried event. Two requests start one run. A 409 when the " +
          "result run succeeded, is still going, or the kind has none. Follow it with GET /api/jobs/{id} (outcome).",
        tags: ["jobs", "runs"],
        parameters: [jobId],
        responses: { "202": jsonResponse("The new result run, started", runBody), "404": notFound, "409": conflict },
      }),
    },
  };
}
