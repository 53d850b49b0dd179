import { z } from "zod";
import { createJob } from "@/lib/jobs/create-job";
import { JOB_KIND_NAMES } from "@/job-kinds/registry";
import { definePipeline } from "@/lib/pipelines/define";
import { JOB_STATUSES } from "@/lib/jobs/job-dto";
import { getJobKind } from "@/lib/jobs/kinds";

// Prepares work for an agent. Anything that runs pipelines (a schedule, a webhook, a chat
// assistant, the dashboard) creates jobs this way, and each job links back to the run.

export const agentJobsCreate = definePipeline({
  name: "agent-jobs.create",
  title: "Create an agent job",
  description:
    "Queues a job of a typed kind for an agent to claim. The input is checked against the kind's input schema; " +
    "a second call with the same idempotencyKey returns the first job. Returns the job id and status.",
  input: z
    .object({
      kind: z.enum(JOB_KIND_NAMES),
      input: z.record(z.string(), z.unknown()).describe("Must match the kind's input schema"),
      priority: z.number().int().min(-1000).max(1000).default(0).describe("Higher is claimed first"),
      idempotencyKey: z.string().min(1).max(200).optional(),
    })
    // Checked here too, not only in createJob: input the kind refuses is refused before a run is recorded.
    .superRefine((request, ctx) => {
      const parsed = getJobKind(request.kind).input.safeParse(request.input);
      if (parsed.success) return;
      for (const issue of parsed.error.issues) ctx.addIssue({ code: "custom", path: ["input", ...issue.path], message: issue.message });
    }),
  output: z.object({
    jobId: z.string(),
    status: z.enum(JOB_STATUSES),
    kind: z.string(),
    created: z.boolean().describe("False when the idempotency key returned an existing job"),
  }),
  areas: ["*"],
  sideEffects: "internal",
  timeoutMs: 10_000,
  async run(request, ctx) {
    const { job, created } = await createJob({ ...request, createdByRunId: ctx.runId });
    ctx.log.info({ jobId: job.id, kind: job.kind, created }, "agent job created");
    return { jobId: job.id, status: job.status, kind: job.kind, created };
  },
});
