-- AlterTable
ALTER TABLE "agent_jobs" ADD COLUMN     "result_run_id" TEXT;

-- AlterTable
ALTER TABLE "triaged_messages" ADD COLUMN     "job_id" TEXT;

-- AlterTable
ALTER TABLE "triage_category_settings" ADD COLUMN     "job_kind" TEXT;

-- CreateTable
CREATE TABLE "approvals" (
    "id" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'pending',
    "title" TEXT NOT NULL,
    "summary" TEXT NOT NULL DEFAULT '',
    "pipeline" TEXT,
    "input" JSONB,
    "agent_id" TEXT,
    "agent_label" TEXT,
    "token_id" TEXT,
    "job_id" TEXT,
    "dedupe_key" TEXT,
    "request_id" TEXT,
    "decided_by" TEXT,
    "decided_at" TIMESTAMP(3),
    "reason" TEXT,
    "run_id" TEXT,
    "notified_at" TIMESTAMP(3),
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "approvals_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "approval_policies" (
    "agent_id" TEXT NOT NULL,
    "pipeline" TEXT NOT NULL,
    "mode" TEXT NOT NULL,
    "updated_by" TEXT,
    "updated_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "approval_policies_pkey" PRIMARY KEY ("agent_id","pipeline")
);

-- CreateIndex
CREATE UNIQUE INDEX "approvals_dedupe_key_key" ON "approvals"("dedupe_key");

-- CreateIndex
CREATE INDEX "approvals_status_created_at_idx" ON "approvals"("status", "created_at");

-- CreateIndex
CREATE INDEX "approvals_job_id_idx" ON "approvals"("job_id");

-- CreateIndex
CREATE INDEX "approvals_agent_id_created_at_idx" ON "approvals"("agent_id", "created_at");

