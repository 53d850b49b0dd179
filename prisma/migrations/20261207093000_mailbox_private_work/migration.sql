-- Jobs and approvals made from a mailbox's mail are its owner's alone.
ALTER TABLE "agent_jobs" ADD COLUMN "mailbox_account_id" TEXT;
ALTER TABLE "approvals" ADD COLUMN "mailbox_account_id" TEXT;

CREATE INDEX "agent_jobs_mailbox_account_id_idx" ON "agent_jobs"("mailbox_account_id");
CREATE INDEX "approvals_mailbox_account_id_idx" ON "approvals"("mailbox_account_id");

-- Existing rows: a job whose input names its source mailbox, a reply draft's mailbox, and an
-- approval about such a job.
UPDATE "agent_jobs" SET "mailbox_account_id" = "input" -> 'source' ->> 'accountId'
 WHERE jsonb_typeof("input" -> 'source') = 'object' AND jsonb_typeof("input" -> 'source' -> 'accountId') = 'string';
UPDATE "approvals" SET "mailbox_account_id" = "input" ->> 'accountId'
 WHERE "kind" = 'reply_draft' AND jsonb_typeof("input" -> 'accountId') = 'string';
UPDATE "approvals" AS a SET "mailbox_account_id" = j."mailbox_account_id"
  FROM "agent_jobs" AS j
 WHERE a."job_id" = j."id" AND a."mailbox_account_id" IS NULL AND j."mailbox_account_id" IS NOT NULL;
