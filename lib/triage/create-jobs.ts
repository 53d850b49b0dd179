import { autocommit } from "@/lib/db/transaction";
import type { EmailProvider } from "@/lib/email/provider";
import { createJob } from "@/lib/jobs/create-job";
import { getLogger } from "@/lib/logger";
import type { MailMessage } from "./parse-message";
import { parseMessage } from "./parse-message";
import type { TriageJobKind } from "./settings";

// Triage hands new mail to agents: for a category whose setting names a job kind, each new message
// (once triage is sure of its category, or once the owner confirms it in review) gets one job.
// The email's sender, subject and text go in as untrusted input (the kind fences them), the job
// links to the message (source) and the message to the job (triaged_messages.job_id). One job per
// message and kind, whatever repeats: the idempotency key is derived from the mailbox message.

export type JobCandidate = {
  /** tmsg_… */
  messageId: string;
  gmailMessageId: string;
  threadId: string;
  message: Pick<MailMessage, "from" | "subject" | "text">;
  jobKind: TriageJobKind;
};

const EXCERPT_CHARS = 8_000;

export const triageJobKey = (accountId: string, gmailMessageId: string, kind: string) => `triage:${accountId}:${gmailMessageId}:${kind}`;

function sender(message: JobCandidate["message"]): string {
  if (!message.from) return "(unknown sender)";
  return message.from.name ? `${message.from.name} <${message.from.address}>` : message.from.address;
}

/** Creates the jobs and links them; a failure is logged and never fails the sync that found the mail. */
export async function createTriageJobs(accountId: string, candidates: JobCandidate[]): Promise<number> {
  let created = 0;
  for (const candidate of candidates) {
    try {
      const { job, created: isNew } = await createJob({
        kind: candidate.jobKind,
        input: {
          subject: candidate.message.subject.slice(0, 1_000),
          from: sender(candidate.message).slice(0, 500),
          excerpt: candidate.message.text.slice(0, EXCERPT_CHARS),
          source: { accountId, messageId: candidate.messageId, gmailMessageId: candidate.gmailMessageId, threadId: candidate.threadId },
        },
        idempotencyKey: triageJobKey(accountId, candidate.gmailMessageId, candidate.jobKind),
      });
      await autocommit().triagedMessage.updateMany({ where: { id: candidate.messageId, jobId: null }, data: { jobId: job.id } });
      if (isNew) created += 1;
    } catch (error) {
      getLogger({ component: "triage-jobs", accountId }).error({ err: error, messageId: candidate.messageId }, "could not create the job for a message");
    }
  }
  return created;
}

/** After a review: the job for a message the owner put in a category that hands mail to agents. */
export async function createJobForReviewedMessage(
  message: { id: string; accountId: string; gmailMessageId: string; threadId: string; jobId: string | null },
  jobKind: TriageJobKind | null,
  provider: () => Promise<EmailProvider>,
): Promise<void> {
  if (!jobKind || message.jobId) return;
  const raw = (await (await provider()).getRawMessages([message.gmailMessageId])).messages[0];
  if (!raw) return;
  const parsed = await parseMessage(raw.raw);
  await createTriageJobs(message.accountId, [{ messageId: message.id, gmailMessageId: message.gmailMessageId, threadId: message.threadId, message: parsed, jobKind }]);
}
