-- AlterTable
ALTER TABLE "webhook_events" ADD COLUMN     "signature_digest" TEXT;

-- CreateIndex
CREATE UNIQUE INDEX "webhook_events_source_id_signature_digest_key" ON "webhook_events"("source_id", "signature_digest");

