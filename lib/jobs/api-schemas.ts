import { z } from "zod";
import { jobDtoSchema, jobEventDtoSchema } from "@/lib/jobs/job-dto";
import { jobOutcomeSchema } from "@/lib/jobs/job-outcome";
import type { cancelJob, retryJob } from "@/lib/jobs/manage-jobs";
import { type getJob, type getJobForAgent, type listJobs } from "@/lib/jobs/read-jobs";
import type { Exactly, Expect, Returned } from "@/lib/openapi/types";

// The response shapes (zod) and shared declaration parts that these routes' handle() declarations
// use for the OpenAPI document.
//
// Jobs for agents, as people see them: the board, one job with its trail, cancel and retry, and
// creating one (through the agent-jobs.create pipeline, so a run records who asked). The agent's
// side of the protocol (claim, heartbeat, complete, fail) is in lib/agents/api-schemas.ts.

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

export const jobListSchema = z.object({
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
export const jobResponseSchema = z.object({ job: jobDtoSchema });

export type _JobShapeChecks = [
  Expect<Exactly<z.infer<typeof jobListSchema>, Returned<typeof listJobs>>>,
  Expect<Exactly<z.infer<typeof ownerJobDetailSchema>, Returned<typeof getJob>>>,
  Expect<Exactly<z.infer<typeof jobDetailSchema>, Returned<typeof getJobForAgent>>>,
  Expect<Exactly<z.infer<typeof jobResponseSchema>["job"], Returned<typeof cancelJob>>>,
  Expect<Exactly<z.infer<typeof jobResponseSchema>["job"], Returned<typeof retryJob>>>,
];
