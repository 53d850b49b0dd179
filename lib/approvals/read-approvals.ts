import { z } from "zod";
import { autocommit } from "@/lib/db/transaction";
import { seesMailbox, visibleMailboxWhere, type MailboxScope } from "@/lib/email/mailbox-access";
import { AppError } from "@/lib/errors";
import { approvalDtoSchema, APPROVAL_KINDS, APPROVAL_STATUSES, toApprovalDto, type ApprovalDto } from "./approval-dto";
import * as approvals from "./approvals.repository";

// Reading approvals for the owner: the list (pending first by default), one with what it is about
// (the job, the reply the agent wrote, the triaged message), and the count for the nav badge.
// One about a mailbox's mail (a reply draft) is seen by that mailbox's owner alone: for anyone
// else it is not in the list or the count, and its id answers 404.

const csv = <T extends readonly [string, ...string[]]>(values: T) =>
  z
    .union([z.string(), z.array(z.string())])
    .transform((v) => (Array.isArray(v) ? v : v.split(",")).map((s) => s.trim()).filter(Boolean))
    .pipe(z.array(z.enum(values)));

export const listApprovalsQuery = z.object({
  status: csv(APPROVAL_STATUSES).optional().describe("One or more statuses, comma-separated (default: every status)"),
  kind: csv(APPROVAL_KINDS).optional(),
  agentId: z.string().max(100).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().regex(/^apr_[0-9a-z]{26}$/, "is not an approval cursor").optional(),
});

export const approvalListSchema = z
  .object({ approvals: z.array(approvalDtoSchema), nextCursor: z.string().nullable(), pending: z.number().int() })
  .meta({ id: "ApprovalList" });

export type ApprovalList = z.infer<typeof approvalListSchema>;

export async function listApprovals(viewer: MailboxScope, query: z.input<typeof listApprovalsQuery> = {}): Promise<ApprovalList> {
  const { limit, cursor, ...filters } = listApprovalsQuery.parse(query);
  const db = autocommit();
  const visible = await visibleMailboxWhere(viewer);
  const [rows, pending] = await Promise.all([approvals.listApprovals(db, { ...filters, visible }, limit + 1, cursor), approvals.countPending(db, visible)]);
  const page = rows.slice(0, limit);
  return { approvals: page.map(toApprovalDto), nextCursor: rows.length > limit ? page.at(-1)!.id : null, pending };
}

export async function countPendingApprovals(viewer: MailboxScope): Promise<number> {
  return approvals.countPending(autocommit(), await visibleMailboxWhere(viewer));
}

/** The approval, when it exists and the viewer may see it; otherwise 404 (the same answer for both). */
export async function findVisibleApproval(viewer: MailboxScope, id: string): Promise<approvals.ApprovalRow> {
  const row = await approvals.findApproval(autocommit(), id);
  if (!row || !(await seesMailbox(viewer, row.mailboxAccountId))) throw new AppError("not_found", `There is no approval ${id}`);
  return row;
}

export const approvalDetailSchema = z
  .object({
    approval: approvalDtoSchema,
    job: z.object({ id: z.string(), kind: z.string(), status: z.string(), result: z.unknown().nullable() }).nullable(),
    message: z
      .object({ id: z.string(), subject: z.string(), fromAddress: z.string().nullable(), category: z.string(), receivedAt: z.iso.datetime() })
      .nullable()
      .describe("The triaged message a reply draft answers"),
    run: z.object({ id: z.string(), pipeline: z.string(), status: z.string(), error: z.unknown().nullable() }).nullable(),
  })
  .meta({ id: "ApprovalDetail" });

export type ApprovalDetail = z.infer<typeof approvalDetailSchema>;

export async function getApprovalDetail(viewer: MailboxScope, id: string): Promise<ApprovalDetail> {
  return detailOf(await findVisibleApproval(viewer, id));
}

/** A page of approvals with what each is about (the Approvals page), filtered for the viewer once. */
export async function listApprovalDetails(viewer: MailboxScope, query: z.input<typeof listApprovalsQuery> = {}): Promise<ApprovalDetail[]> {
  const { limit, cursor, ...filters } = listApprovalsQuery.parse(query);
  const rows = await approvals.listApprovals(autocommit(), { ...filters, visible: await visibleMailboxWhere(viewer) }, limit, cursor);
  return Promise.all(rows.map(detailOf));
}

/** What an approval is about: its job, the triaged message a reply answers, the run approving started. */
export async function detailOf(row: approvals.ApprovalRow): Promise<ApprovalDetail> {
  const db = autocommit();
  const [job, message, run] = await Promise.all([
    row.jobId ? db.agentJob.findUnique({ where: { id: row.jobId }, select: { id: true, kind: true, status: true, result: true } }) : null,
    row.jobId ? db.triagedMessage.findFirst({ where: { jobId: row.jobId }, select: { id: true, subject: true, fromAddress: true, category: true, receivedAt: true } }) : null,
    row.runId ? db.pipelineRun.findUnique({ where: { id: row.runId }, select: { id: true, pipeline: true, status: true, error: true } }) : null,
  ]);
  return {
    approval: toApprovalDto(row) satisfies ApprovalDto,
    job: job ? { ...job, result: job.result ?? null } : null,
    message: message ? { ...message, receivedAt: message.receivedAt.toISOString() } : null,
    run: run ? { ...run, error: run.error ?? null } : null,
  };
}
