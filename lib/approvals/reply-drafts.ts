import type { Prisma } from "@/generated/prisma/client";
import { autocommit } from "@/lib/db/transaction";
import { gmailProviderFor } from "@/lib/email/accounts";
import type { EmailProvider } from "@/lib/email/provider";
import { buildReply } from "@/lib/email/reply-message";
import { AppError } from "@/lib/errors";
import type { Artifact } from "@/lib/jobs/result-schemas";
import { loadJobResult } from "@/lib/jobs/load-result";
import { parseMessage } from "@/lib/triage/parse-message";
import { inboxReplyDraft } from "@/job-kinds/inbox-reply-draft";
import * as approvals from "./approvals.repository";
import { recordApproval } from "./request-approval";

// inbox.reply-draft's result becomes a Gmail draft in the original thread (never sent on its own)
// plus an approval to send it. Exactly one draft per job, however often this runs: the approval
// (one per job) remembers the draft, and a run that died between Gmail and the database is caught
// by the X-PA-Job header the draft carries, found again in the thread instead of drafting twice.

export const JOB_HEADER = "X-PA-Job";

export type ReplyDraftInput = { accountId: string; draftId: string; threadId: string; to: string; subject: string };

export const replyDraftKey = (jobId: string) => `reply-draft:${jobId}`;

async function findDraftOfJob(provider: EmailProvider, threadId: string, jobId: string): Promise<string | null> {
  const inThread = (await provider.listDrafts()).filter((d) => d.threadId === threadId);
  for (const ref of inThread) {
    const draft = await provider.getDraft(ref.draftId);
    const head = draft?.raw.toString("utf8").split(/\r?\n\r?\n/, 1)[0] ?? "";
    if (new RegExp(`^${JOB_HEADER}: ${jobId}$`, "mi").test(head)) return ref.draftId;
  }
  return null;
}

function artifactOf(row: approvals.ApprovalRow): Artifact {
  const draft = row.input as ReplyDraftInput;
  return { type: "gmail-draft", label: `Draft in thread ${draft.threadId}`, draftId: draft.draftId, threadId: draft.threadId, accountId: draft.accountId, approvalId: row.id };
}

export async function createReplyDraftForJob(jobId: string, deps: { provider?: EmailProvider } = {}): Promise<{ artifact: Artifact; created: boolean }> {
  const { job, input, result } = await loadJobResult(inboxReplyDraft, jobId);
  const agent = job.claimedByAgent;
  const flagged = result.needsHuman ? `The agent flagged it for you${result.reason ? `: ${result.reason}` : "."}` : "";

  if (!input.source) {
    // Made by hand, not from a message: there is no thread to draft in; a flag still reaches the owner.
    if (!result.needsHuman) return { artifact: { type: "none", label: "No thread to reply in: the reply stays on the job" }, created: false };
    const { approval, created } = await recordApproval({
      kind: "job_result", title: `Look at the reply drafted for "${input.subject}"`, summary: flagged, pipeline: null, input: null,
      agentId: agent, agentLabel: null, tokenId: null, jobId, dedupeKey: `job-result:${jobId}`, requestId: null,
    });
    return { artifact: { type: "none", label: "Flagged for the owner", approvalId: approval.id }, created };
  }

  const existing = await approvals.findByDedupeKey(autocommit(), replyDraftKey(jobId));
  if (existing) return { artifact: artifactOf(existing), created: false };

  const { accountId, gmailMessageId, threadId } = input.source;
  const account = await autocommit().emailAccount.findUnique({ where: { id: accountId }, select: { emailAddress: true, status: true } });
  if (!account || account.status === "disconnected") throw new AppError("conflict", "The mailbox this reply belongs to is disconnected; connect it again and retry the run.");
  const provider = deps.provider ?? (await gmailProviderFor(accountId));

  let draftId = await findDraftOfJob(provider, threadId, jobId);
  const original = (await provider.getRawMessages([gmailMessageId])).messages[0];
  if (!original) throw new AppError("conflict", "The message this reply answers is no longer in the mailbox; nothing was drafted.");
  const parsed = await parseMessage(original.raw);
  const to = parsed.headers["reply-to"] || (parsed.from ? (parsed.from.name ? `${parsed.from.name} <${parsed.from.address}>` : parsed.from.address) : "");
  if (!to) throw new AppError("conflict", "The message has no sender to reply to; nothing was drafted.");
  if (!draftId) {
    const raw = buildReply({
      from: account.emailAddress,
      to,
      subject: parsed.subject,
      inReplyTo: parsed.messageId,
      references: parsed.headers.references ?? "",
      body: result.reply,
      extra: { [JOB_HEADER]: jobId },
    });
    draftId = (await provider.createDraft(raw, original.threadId)).draftId;
  }

  const draft: ReplyDraftInput = { accountId, draftId, threadId: original.threadId, to, subject: parsed.subject };
  const { approval, created } = await recordApproval({
    kind: "reply_draft",
    title: `Send the reply to ${to.replaceAll(/[\r\n]/g, " ")}`,
    summary: flagged || "Drafted by an agent; review it here or in Gmail before sending.",
    pipeline: "email.send-draft",
    input: draft as unknown as Prisma.InputJsonValue,
    agentId: agent,
    agentLabel: null,
    tokenId: null,
    jobId,
    dedupeKey: replyDraftKey(jobId),
    requestId: null,
    mailboxAccountId: accountId,
  });
  return { artifact: artifactOf(approval), created };
}

/** The approval a send or discard acts on: a reply draft in the expected state. */
export async function replyDraftApproval(approvalId: string, expected: readonly string[]): Promise<{ row: approvals.ApprovalRow; draft: ReplyDraftInput }> {
  const row = await approvals.findApproval(autocommit(), approvalId);
  if (!row || row.kind !== "reply_draft") throw new AppError("not_found", `There is no reply draft approval ${approvalId}`);
  if (!expected.includes(row.status)) {
    throw new AppError("conflict", `The approval is ${row.status}; this only runs when it is ${expected.join(" or ")}`, { approvalId, status: row.status });
  }
  return { row, draft: row.input as ReplyDraftInput };
}
