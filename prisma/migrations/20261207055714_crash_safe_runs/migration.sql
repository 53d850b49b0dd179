-- AlterTable
ALTER TABLE "pipeline_runs" ADD COLUMN     "attempt" INTEGER NOT NULL DEFAULT 1,
ADD COLUMN     "work_key" TEXT;

-- AlterTable
ALTER TABLE "schedule_slots" ADD COLUMN     "input" JSONB,
ADD COLUMN     "instance_id" TEXT,
ADD COLUMN     "pipeline" TEXT;

-- AlterTable
ALTER TABLE "webhook_dispatches" ADD COLUMN     "instance_id" TEXT;

-- CreateIndex
CREATE INDEX "pipeline_runs_work_key_idx" ON "pipeline_runs"("work_key");

