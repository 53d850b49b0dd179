-- AlterEnum
ALTER TYPE "WebhookEventStatus" ADD VALUE 'dead';

-- AlterTable
ALTER TABLE "webhook_events" ADD COLUMN     "auto_retries" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "dead_at" TIMESTAMP(3),
ADD COLUMN     "dead_notified_at" TIMESTAMP(3),
ADD COLUMN     "next_attempt_at" TIMESTAMP(3);

-- CreateIndex
CREATE INDEX "webhook_events_status_next_attempt_at_idx" ON "webhook_events"("status", "next_attempt_at");

-- Events that failed before automatic retries existed get their first one at the next tick.
UPDATE "webhook_events" SET "next_attempt_at" = (now() AT TIME ZONE 'UTC') WHERE "status" = 'failed';
