import { z } from "zod";
import { autocommit } from "@/lib/db/transaction";
import { ownedAccountIds, type MailboxUser } from "@/lib/email/mailbox-access";
import { AppError } from "@/lib/errors";
import { approve, deny, retryApprovedRun, type Decision } from "./decide-approval";
import * as approvals from "./approvals.repository";
import { approvalDetailSchema, detailOf, type ApprovalDetail } from "./read-approvals";
import { APPROVAL_STATUSES } from "./approval-dto";

// The reply drafts of one's own mailboxes, for whoever connected them, whatever their role
// (`mail.own`): a member has no Approvals page and cannot decide the installation's approvals, but
// the drafts agents wrote for their mail wait on them alone. The Triage page lists them; sending,
// deleting and retrying a failed send go through the same decisions as the Approvals page. Only a
// reply_draft approval of a mailbox the person owns is theirs here; any other id answers 404.

export const ownReplyDraftsQuery = z.object({
  status: z.enum(APPROVAL_STATUSES).default("pending").describe("pending (the default): the drafts waiting to be sent"),
  limit: z.coerce.number().int().min(1).max(50).default(20),
});

export const ownReplyDraftListSchema = z.object({ drafts: z.array(approvalDetailSchema) }).meta({ id: "OwnReplyDraftList" });

type Person = MailboxUser & { email: string };

export async function listOwnReplyDrafts(user: MailboxUser, query: z.input<typeof ownReplyDraftsQuery> = {}): Promise<ApprovalDetail[]> {
  const { status, limit } = ownReplyDraftsQuery.parse(query);
  const owned = (await ownedAccountIds(user)) ?? [];
  if (owned.length === 0) return [];
  const rows = await approvals.listApprovals(autocommit(), { status: [status], kind: ["reply_draft"], visible: { mailboxAccountId: { in: owned } } }, limit);
  return Promise.all(rows.map(detailOf));
}

async function assertOwnReplyDraft(user: MailboxUser, id: string): Promise<void> {
  const row = await approvals.findApproval(autocommit(), id);
  const owned = row?.kind === "reply_draft" && row.mailboxAccountId ? ((await ownedAccountIds(user)) ?? []).includes(row.mailboxAccountId) : false;
  if (!owned) throw new AppError("not_found", `There is no reply draft ${id} in your mailboxes`);
}

const by = (user: Person) => ({ userId: user.id, label: user.email, trigger: "dashboard" as const, viewer: user });

/** Sends the draft (once; a second send is a 409). */
export async function sendOwnReplyDraft(user: Person, id: string): Promise<Decision> {
  await assertOwnReplyDraft(user, id);
  return approve(id, by(user));
}

/** Deletes the draft from Gmail with a reason; nothing is sent. */
export async function discardOwnReplyDraft(user: Person, id: string, body: unknown): Promise<Decision> {
  await assertOwnReplyDraft(user, id);
  return deny(id, body, by(user));
}

/** Sends again after the send failed (say the mailbox was disconnected then). */
export async function retryOwnReplyDraft(user: Person, id: string): Promise<Decision> {
  await assertOwnReplyDraft(user, id);
  return retryApprovedRun(id, by(user));
}
