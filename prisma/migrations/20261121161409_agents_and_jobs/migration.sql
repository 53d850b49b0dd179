-- CreateEnum
CREATE TYPE "AgentTokenKind" AS ENUM ('access', 'refresh');

-- CreateEnum
CREATE TYPE "JobStatus" AS ENUM ('queued', 'claimed', 'succeeded', 'failed', 'dead', 'cancelled');

-- CreateTable
CREATE TABLE "agents" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "description" TEXT,
    "client_id" TEXT NOT NULL,
    "client_secret_hash" TEXT NOT NULL,
    "job_kinds" TEXT[],
    "pipelines" TEXT[],
    "disabled_at" TIMESTAMP(3),
    "last_seen_at" TIMESTAMP(3),
    "created_by" TEXT,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "agents_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "agent_tokens" (
    "id" TEXT NOT NULL,
    "agent_id" TEXT NOT NULL,
    "kind" "AgentTokenKind" NOT NULL,
    "token_hash" TEXT NOT NULL,
    "family_id" TEXT NOT NULL,
    "parent_id" TEXT,
    "expires_at" TIMESTAMP(3) NOT NULL,
    "used_at" TIMESTAMP(3),
    "revoked_at" TIMESTAMP(3),
    "revoked_reason" TEXT,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "agent_tokens_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "agent_audit_events" (
    "id" TEXT NOT NULL,
    "agent_id" TEXT,
    "token_id" TEXT,
    "action" TEXT NOT NULL,
    "target" TEXT,
    "allowed" BOOLEAN NOT NULL,
    "detail" JSONB,
    "ip" TEXT,
    "request_id" TEXT,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "agent_audit_events_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "agent_jobs" (
    "id" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "status" "JobStatus" NOT NULL DEFAULT 'queued',
    "priority" INTEGER NOT NULL DEFAULT 0,
    "input" JSONB NOT NULL,
    "result" JSONB,
    "error" JSONB,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "max_attempts" INTEGER NOT NULL,
    "lease_ms" INTEGER NOT NULL,
    "max_runtime_ms" INTEGER NOT NULL,
    "available_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lease_id" TEXT,
    "lease_expires_at" TIMESTAMP(3),
    "claimed_by_agent" TEXT,
    "claimed_by_token" TEXT,
    "claimed_at" TIMESTAMP(3),
    "result_hash" TEXT,
    "created_by_run_id" TEXT,
    "idempotency_key" TEXT,
    "finished_at" TIMESTAMP(3),
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "agent_jobs_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "agent_job_events" (
    "id" TEXT NOT NULL,
    "job_id" TEXT NOT NULL,
    "type" TEXT NOT NULL,
    "agent_id" TEXT,
    "token_id" TEXT,
    "attempt" INTEGER,
    "detail" JSONB,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "agent_job_events_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "agents_name_key" ON "agents"("name");

-- CreateIndex
CREATE UNIQUE INDEX "agents_client_id_key" ON "agents"("client_id");

-- CreateIndex
CREATE UNIQUE INDEX "agent_tokens_token_hash_key" ON "agent_tokens"("token_hash");

-- CreateIndex
CREATE INDEX "agent_tokens_agent_id_created_at_idx" ON "agent_tokens"("agent_id", "created_at");

-- CreateIndex
CREATE INDEX "agent_tokens_family_id_idx" ON "agent_tokens"("family_id");

-- CreateIndex
CREATE INDEX "agent_audit_events_agent_id_created_at_idx" ON "agent_audit_events"("agent_id", "created_at");

-- CreateIndex
CREATE INDEX "agent_audit_events_action_created_at_idx" ON "agent_audit_events"("action", "created_at");

-- CreateIndex
CREATE UNIQUE INDEX "agent_jobs_idempotency_key_key" ON "agent_jobs"("idempotency_key");

-- CreateIndex
CREATE INDEX "agent_jobs_status_kind_priority_available_at_idx" ON "agent_jobs"("status", "kind", "priority" DESC, "available_at");

-- CreateIndex
CREATE INDEX "agent_jobs_status_lease_expires_at_idx" ON "agent_jobs"("status", "lease_expires_at");

-- CreateIndex
CREATE INDEX "agent_jobs_created_at_idx" ON "agent_jobs"("created_at");

-- CreateIndex
CREATE INDEX "agent_job_events_job_id_created_at_idx" ON "agent_job_events"("job_id", "created_at");

-- AddForeignKey
ALTER TABLE "agent_tokens" ADD CONSTRAINT "agent_tokens_agent_id_fkey" FOREIGN KEY ("agent_id") REFERENCES "agents"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "agent_audit_events" ADD CONSTRAINT "agent_audit_events_agent_id_fkey" FOREIGN KEY ("agent_id") REFERENCES "agents"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "agent_job_events" ADD CONSTRAINT "agent_job_events_job_id_fkey" FOREIGN KEY ("job_id") REFERENCES "agent_jobs"("id") ON DELETE CASCADE ON UPDATE CASCADE;

