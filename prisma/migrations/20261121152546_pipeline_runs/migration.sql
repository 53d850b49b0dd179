-- CreateEnum
CREATE TYPE "RunStatus" AS ENUM ('queued', 'running', 'succeeded', 'failed', 'cancelled');

-- CreateEnum
CREATE TYPE "RunTrigger" AS ENUM ('api', 'dashboard', 'chat', 'schedule', 'event', 'agent', 'cli');

-- CreateEnum
CREATE TYPE "ActorType" AS ENUM ('user', 'agent', 'schedule', 'event', 'system');

-- CreateTable
CREATE TABLE "pipeline_runs" (
    "id" TEXT NOT NULL,
    "pipeline" TEXT NOT NULL,
    "status" "RunStatus" NOT NULL,
    "trigger" "RunTrigger" NOT NULL,
    "input" JSONB NOT NULL,
    "output" JSONB,
    "error" JSONB,
    "actor_type" "ActorType" NOT NULL,
    "actor_id" TEXT,
    "actor_label" TEXT,
    "token_id" TEXT,
    "request_id" TEXT,
    "idempotency_key" TEXT,
    "idempotency_scope" TEXT,
    "parent_run_id" TEXT,
    "instance_id" TEXT,
    "timeout_ms" INTEGER NOT NULL,
    "queued_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "started_at" TIMESTAMP(3),
    "finished_at" TIMESTAMP(3),
    "duration_ms" INTEGER,

    CONSTRAINT "pipeline_runs_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "app_instances" (
    "id" TEXT NOT NULL,
    "hostname" TEXT NOT NULL,
    "pid" INTEGER NOT NULL,
    "started_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "heartbeat_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "app_instances_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "pipeline_runs_pipeline_id_idx" ON "pipeline_runs"("pipeline", "id");

-- CreateIndex
CREATE INDEX "pipeline_runs_status_id_idx" ON "pipeline_runs"("status", "id");

-- CreateIndex
CREATE INDEX "pipeline_runs_trigger_id_idx" ON "pipeline_runs"("trigger", "id");

-- CreateIndex
CREATE INDEX "pipeline_runs_actor_type_actor_id_id_idx" ON "pipeline_runs"("actor_type", "actor_id", "id");

-- CreateIndex
CREATE INDEX "pipeline_runs_parent_run_id_idx" ON "pipeline_runs"("parent_run_id");

-- CreateIndex
CREATE INDEX "pipeline_runs_queued_at_idx" ON "pipeline_runs"("queued_at");

-- CreateIndex
CREATE INDEX "pipeline_runs_instance_id_status_idx" ON "pipeline_runs"("instance_id", "status");

-- CreateIndex
CREATE UNIQUE INDEX "pipeline_runs_pipeline_idempotency_scope_idempotency_key_key" ON "pipeline_runs"("pipeline", "idempotency_scope", "idempotency_key");

-- AddForeignKey
ALTER TABLE "pipeline_runs" ADD CONSTRAINT "pipeline_runs_parent_run_id_fkey" FOREIGN KEY ("parent_run_id") REFERENCES "pipeline_runs"("id") ON DELETE SET NULL ON UPDATE CASCADE;

