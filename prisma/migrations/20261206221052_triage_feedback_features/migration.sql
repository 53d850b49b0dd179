-- AlterTable
ALTER TABLE "triage_feedback" ADD COLUMN     "account_id" TEXT,
ADD COLUMN     "features" JSONB;

-- CreateIndex
CREATE INDEX "triage_feedback_account_id_created_at_idx" ON "triage_feedback"("account_id", "created_at");

