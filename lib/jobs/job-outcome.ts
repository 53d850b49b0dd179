import { z } from "zod";
import { APPROVAL_KINDS, APPROVAL_STATUSES } from "@/lib/approvals/approval-dto";
import * as approvals from "@/lib/approvals/approvals.repository";
import type { Tx } from "@/lib/db/transaction";
import { JOB_STATUSES } from "@/lib/jobs/job-dto";
import * as jobs from "@/lib/jobs/jobs.repository";
import type { JobRow } from "@/lib/jobs/jobs.repository";
import { findJobKind } from "@/lib/jobs/kinds";
import { artifactSchema, type Artifact } from "@/lib/jobs/result-schemas";
import { RUN_STATUSES, runErrorSchema } from "@/lib/pipelines/run-dto";
import * as runs from "@/lib/pipelines/runs.repository";

// What a job's result became, for the owner: the run its kind's result handler started, what that
// run produced (a hub note, a content draft, a Gmail draft) and the approval waiting on it. Read
// through the repositories, not lib/approvals' services: those import the pipeline registry, whose
// result pipelines import lib/jobs back.

export const OUTCOME_STATES = ["awaiting_result", "no_handler", "pending", "done", "failed"] as const;

const runSummarySchema = z.object({
  id: z.string(),
  pipeline: z.string(),
  status: z.enum(RUN_STATUSES),
  error: runErrorSchema.nullable(),
  finishedAt: z.iso.datetime().nullable(),
});

export const jobOutcomeSchema = z
  .object({
    state: z
      .enum(OUTCOME_STATES)
      .describe(
        "awaiting_result: the job has not succeeded (yet); no_handler: its kind's result stays on the job; pending: the result run " +
          "has not finished; done: it succeeded (see artifact); failed: it failed or was cancelled (retry with POST /api/jobs/{id}/retry-result)",
      ),
    handler: z.string().nullable().describe("The kind's result pipeline; null when the result stays on the job"),
    run: runSummarySchema.nullable().describe("The run the result started (the latest one, after retries)"),
    artifact: artifactSchema.nullable().describe("What the run produced, from its output"),
    approval: z
      .object({
        id: z.string(),
        kind: z.enum(APPROVAL_KINDS),
        status: z.enum(APPROVAL_STATUSES),
        title: z.string(),
        reason: z.string().nullable(),
        to: z.string().nullable().describe("A reply draft's recipient"),
        subject: z.string().nullable().describe("A reply draft's subject"),
        run: runSummarySchema.nullable().describe("The run approving started (retry a failed one with POST /api/approvals/{id}/retry)"),
      })
      .nullable()
      .describe("The approval waiting on the owner (or decided), if the result asked for one"),
  })
  .meta({ id: "JobOutcome" });

export type JobOutcome = z.infer<typeof jobOutcomeSchema>;
export type RunSummary = z.infer<typeof runSummarySchema>;
type OutcomeApproval = NonNullable<JobOutcome["approval"]>;

function toRunSummary(run: runs.RunRow): RunSummary {
  const parsed = runErrorSchema.safeParse(run.error);
  return { id: run.id, pipeline: run.pipeline, status: run.status, error: parsed.success ? parsed.data : null, finishedAt: run.finishedAt?.toISOString() ?? null };
}

function artifactOf(output: unknown): Artifact | null {
  const parsed = artifactSchema.safeParse((output as { artifact?: unknown } | null)?.artifact);
  return parsed.success ? parsed.data : null;
}

function stateOf(job: Pick<JobRow, "status">, handler: string | null, run: Pick<RunSummary, "status"> | null): JobOutcome["state"] {
  if (job.status !== "succeeded") return "awaiting_result";
  if (!handler) return "no_handler";
  if (!run || run.status === "queued" || run.status === "running") return "pending";
  return run.status === "succeeded" ? "done" : "failed";
}

/** The outcome of one job (a handful of queries, each by id or by job). */
export async function readJobOutcome(db: Tx, job: JobRow): Promise<JobOutcome> {
  const handler = findJobKind(job.kind)?.resultPipeline ?? null;
  const [runRow, forJob] = await Promise.all([job.resultRunId ? runs.findRun(db, job.resultRunId) : null, approvals.findForJob(db, job.id)]);
  const run = runRow ? toRunSummary(runRow) : null;
  const artifact = runRow?.status === "succeeded" ? artifactOf(runRow.output) : null;
  // The approval the artifact names, else the newest for the job (a flag raised without a draft).
  const approvalRow = forJob.find((a) => a.id === artifact?.approvalId) ?? forJob.at(-1) ?? null;
  const approvalRun = approvalRow?.runId ? await runs.findRun(db, approvalRow.runId) : null;
  const draft = approvalRow?.kind === "reply_draft" ? (approvalRow.input as { to?: unknown; subject?: unknown } | null) : null;
  return {
    state: stateOf(job, handler, run),
    handler,
    run,
    artifact,
    approval: approvalRow
      ? {
          id: approvalRow.id,
          kind: approvalRow.kind as OutcomeApproval["kind"],
          status: approvalRow.status as OutcomeApproval["status"],
          title: approvalRow.title,
          reason: approvalRow.reason,
          to: typeof draft?.to === "string" ? draft.to : null,
          subject: typeof draft?.subject === "string" ? draft.subject : null,
          run: approvalRun ? toRunSummary(approvalRun) : null,
        }
      : null,
  };
}

export const jobOutcomeSummarySchema = z
  .object({
    id: z.string(),
    kind: z.string(),
    status: z.enum(JOB_STATUSES),
    state: z.enum(OUTCOME_STATES).describe("As in JobOutcome"),
    approval: z
      .object({ id: z.string(), status: z.enum(APPROVAL_STATUSES), runStatus: z.enum(RUN_STATUSES).nullable().describe("The run approving started") })
      .nullable()
      .describe("The newest approval for the job (a reply draft waiting to be sent, say)"),
  })
  .meta({ id: "JobOutcomeSummary" });

export type JobOutcomeSummary = z.infer<typeof jobOutcomeSummarySchema>;

/** Where each of several jobs stands, in three queries however many there are. */
export async function summariseOutcomes(db: Tx, jobIds: string[]): Promise<Map<string, JobOutcomeSummary>> {
  const ids = [...new Set(jobIds)];
  const [rows, approvalRows] = await Promise.all([jobs.findJobStatuses(db, ids), approvals.findForJobs(db, ids)]);
  const runIds = [...rows.map((r) => r.resultRunId), ...approvalRows.map((a) => a.runId)].filter((id): id is string => id !== null);
  const runStatus = new Map((await runs.findRunStatuses(db, runIds)).map((r) => [r.id, r.status]));
  const newestApproval = new Map(approvalRows.map((a) => [a.jobId, a])); // oldest first, so the newest wins
  return new Map(
    rows.map((row) => {
      const run = row.resultRunId && runStatus.has(row.resultRunId) ? { status: runStatus.get(row.resultRunId)! } : null;
      const approval = newestApproval.get(row.id);
      const summary: JobOutcomeSummary = {
        id: row.id,
        kind: row.kind,
        status: row.status,
        state: stateOf(row, findJobKind(row.kind)?.resultPipeline ?? null, run),
        approval: approval
          ? { id: approval.id, status: approval.status as OutcomeApproval["status"], runStatus: approval.runId ? (runStatus.get(approval.runId) ?? null) : null }
          : null,
      };
      return [row.id, summary];
    }),
  );
}
