import { z } from "zod";
import type { AgentPrincipal } from "@/lib/agents/principal";
import { autocommit } from "@/lib/db/transaction";
import { seesMailbox, visibleMailboxWhere, type MailboxScope } from "@/lib/email/mailbox-access";
import { AppError } from "@/lib/errors";
import { instructionsFor } from "@/lib/jobs/claim-jobs";
import { JOB_STATUSES, toJobDto, type JobDto, type JobEventDto } from "@/lib/jobs/job-dto";
import { readJobOutcome, type JobOutcome } from "@/lib/jobs/job-outcome";
import * as jobs from "@/lib/jobs/jobs.repository";
import { findJobKind } from "@/lib/jobs/kinds";

// Reading jobs: the board (counts and a filtered, cursor-paginated list) and one job with its
// instructions, event trail and outcome (what its result became), for people; for an agent, only
// jobs it holds or has worked on, without the outcome (the owner's approvals are not its business).
// A job made from a mailbox's mail is seen by that mailbox's owner alone (lib/email/mailbox-access.ts):
// for anyone else it is left out of lists and counts and answers 404.

const csvOf = <T extends readonly [string, ...string[]]>(values: T) =>
  z
    .union([z.string(), z.array(z.string())])
    .transform((v) => (Array.isArray(v) ? v : v.split(",")).map((s) => s.trim()).filter(Boolean))
    .pipe(z.array(z.enum(values)));

export const listJobsQuery = z.object({
  status: csvOf(JOB_STATUSES).optional().describe("One or more statuses, comma-separated"),
  kind: z
    .union([z.string(), z.array(z.string())])
    .transform((v) => (Array.isArray(v) ? v : v.split(",")).map((s) => s.trim()).filter(Boolean))
    .optional()
    .describe("One or more kinds, comma-separated"),
  createdByRunId: z.string().max(100).optional(),
  agentId: z.string().max(100).optional().describe("Last claimed by this agent"),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().regex(/^job_[0-9a-z]{26}$/, "is not a job cursor").optional(),
});

export type JobList = { jobs: JobDto[]; nextCursor: string | null; counts: Record<(typeof JOB_STATUSES)[number], number> };

export async function listJobs(viewer: MailboxScope, query: z.input<typeof listJobsQuery> = {}): Promise<JobList> {
  const { limit, cursor, ...filters } = listJobsQuery.parse(query);
  const db = autocommit();
  const visible = await visibleMailboxWhere(viewer);
  const [rows, counts] = await Promise.all([
    jobs.listJobs(db, { ...filters, visible }, limit + 1, cursor),
    jobs.countByStatus(db, { kind: filters.kind, createdByRunId: filters.createdByRunId, agentId: filters.agentId, visible }),
  ]);
  const page = rows.slice(0, limit);
  return { jobs: page.map(toJobDto), nextCursor: rows.length > limit ? page[page.length - 1]!.id : null, counts };
}

export type JobDetail = { job: JobDto; instructions: string | null; events: JobEventDto[] };

async function detailOf(row: jobs.JobRow): Promise<JobDetail> {
  const events = await jobs.listEvents(autocommit(), row.id);
  const kind = findJobKind(row.kind);
  return {
    job: toJobDto(row),
    instructions: kind ? instructionsFor(kind, row.input) : null,
    events: events.map((e) => ({ ...e, detail: e.detail ?? null, createdAt: e.createdAt.toISOString() })),
  };
}

export type OwnerJobDetail = JobDetail & { outcome: JobOutcome };

/** 404 unless the job exists and the viewer may see it (the same answer for both). */
export async function assertSeesJob(viewer: MailboxScope, id: string): Promise<void> {
  const mailbox = await jobs.findJobMailbox(autocommit(), id);
  if (!(await seesMailbox(viewer, mailbox))) throw new AppError("not_found", `There is no job ${id}`);
}

export async function getJob(viewer: MailboxScope, id: string): Promise<OwnerJobDetail> {
  await assertSeesJob(viewer, id);
  const row = await jobs.findJob(autocommit(), id);
  if (!row) throw new AppError("not_found", `There is no job ${id}`);
  const [detail, outcome] = await Promise.all([detailOf(row), readJobOutcome(autocommit(), row)]);
  return { ...detail, outcome };
}

/** An agent sees a job it holds or has worked on (claimed, heartbeated, completed…); others are 404. */
export async function getJobForAgent(principal: AgentPrincipal, id: string): Promise<JobDetail> {
  const db = autocommit();
  const row = await jobs.findJob(db, id);
  const visible = row && (row.claimedByAgent === principal.agentId || (await jobs.agentTouchedJob(db, id, principal.agentId)));
  if (!row || !visible) throw new AppError("not_found", "There is no such job, or this agent never held it");
  return detailOf(row);
}
