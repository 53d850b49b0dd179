import { z } from "zod";
import { createJobs, MAX_JOBS_PER_CALL, type CreateJobResult } from "@/lib/jobs/create-job";
import { JOB_KIND_NAMES } from "@/job-kinds/registry";
import { definePipeline } from "@/lib/pipelines/define";
import { JOB_STATUSES } from "@/lib/jobs/job-dto";
import { getJobKind } from "@/lib/jobs/kinds";

// Prepares work for an agent. Anything that runs pipelines (a schedule, a webhook, a chat
// assistant, the dashboard) creates jobs this way, and each job links back to the run. One job
// per run, or up to a thousand (`jobs`) in one run and one transaction: the run's own, so the jobs
// and the run's "succeeded" commit together (a crash in between leaves neither; see the runner).

const kind = z.enum(JOB_KIND_NAMES);
const kindInput = z.record(z.string(), z.unknown()).describe("Must match the kind's input schema");
const priority = z.number().int().min(-1000).max(1000).describe("Higher is claimed first (0 unless given)");
const idempotencyKey = z.string().min(1).max(200).describe("A second create with the same key returns the first job");

const jobSpec = z.object({ kind, input: kindInput, priority: priority.optional(), idempotencyKey: idempotencyKey.optional() });

type JobSpec = z.infer<typeof jobSpec>;

const input = z
  .object({
    kind: kind.optional().describe("One job: its kind (required with input)"),
    input: kindInput.optional(),
    priority: priority.optional(),
    idempotencyKey: idempotencyKey.optional(),
    jobs: z
      .array(jobSpec)
      .min(1)
      .max(MAX_JOBS_PER_CALL)
      .optional()
      .describe(`Many jobs in one run (instead of kind and input): up to ${MAX_JOBS_PER_CALL}, created together or not at all`),
  })
  // Checked here, not only in createJobs: input the kind refuses is refused before a run is recorded.
  .superRefine((request, ctx) => {
    const checkInput = (spec: JobSpec, path: (string | number)[]) => {
      const parsed = getJobKind(spec.kind).input.safeParse(spec.input);
      if (parsed.success) return;
      for (const issue of parsed.error.issues) ctx.addIssue({ code: "custom", path: [...path, "input", ...issue.path], message: issue.message });
    };
    if (request.jobs) {
      const single = (["kind", "input", "priority", "idempotencyKey"] as const).filter((field) => request[field] !== undefined);
      if (single.length > 0) ctx.addIssue({ code: "custom", path: [single[0]!], message: "Give either jobs, or kind and input, not both" });
      const keys = new Set<string>();
      request.jobs.forEach((spec, i) => {
        checkInput(spec, ["jobs", i]);
        if (spec.idempotencyKey === undefined) return;
        if (keys.has(spec.idempotencyKey)) ctx.addIssue({ code: "custom", path: ["jobs", i, "idempotencyKey"], message: "Another job in this run has the same key" });
        keys.add(spec.idempotencyKey);
      });
      return;
    }
    if (!request.kind) ctx.addIssue({ code: "custom", path: ["kind"], message: "Required (or give jobs)" });
    if (!request.input) ctx.addIssue({ code: "custom", path: ["input"], message: "Required (or give jobs)" });
    if (request.kind && request.input) checkInput({ kind: request.kind, input: request.input }, []);
  });

const createdJob = z.object({
  jobId: z.string(),
  status: z.enum(JOB_STATUSES),
  kind: z.string(),
  created: z.boolean().describe("False when the idempotency key returned an existing job"),
});

const toOutput = ({ job, created }: CreateJobResult) => ({ jobId: job.id, status: job.status, kind: job.kind, created });

export const agentJobsCreate = definePipeline({
  name: "agent-jobs.create",
  title: "Create agent jobs",
  description:
    "Queues a job of a typed kind for an agent to claim, or many at once: `jobs` takes up to 1,000 ({ kind, input, priority?, " +
    "idempotencyKey? } each), created in one transaction. Each input is checked against its kind's input schema; a job whose " +
    "idempotencyKey was used before returns the first job. Returns the job's id and status, or `jobs` in the order given.",
  input,
  output: z.union([
    createdJob,
    z.object({
      jobs: z.array(createdJob).describe("One per job asked for, in the same order"),
      created: z.number().int().describe("How many were new (the others' idempotency keys returned existing jobs)"),
    }),
  ]),
  areas: ["*"],
  sideEffects: "internal",
  timeoutMs: 10_000,
  transactional: true,
  async run(request, ctx) {
    const createdByRunId = ctx.runId;
    if (request.jobs) {
      const jobs = request.jobs;
      const results = await ctx.transaction((tx) => createJobs(jobs.map((spec) => ({ ...spec, createdByRunId })), { tx }));
      const created = results.filter((r) => r.created).length;
      ctx.log.info({ count: results.length, created }, "agent jobs created");
      return { jobs: results.map(toOutput), created };
    }
    const one = { kind: request.kind!, input: request.input!, priority: request.priority, idempotencyKey: request.idempotencyKey, createdByRunId };
    const [result] = await ctx.transaction((tx) => createJobs([one], { tx }));
    ctx.log.info({ jobId: result!.job.id, kind: result!.job.kind, created: result!.created }, "agent job created");
    return toOutput(result!);
  },
});
