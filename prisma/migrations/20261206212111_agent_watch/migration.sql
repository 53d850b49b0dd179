-- AlterTable
ALTER TABLE "agents" ADD COLUMN     "alerted_at" TIMESTAMP(3),
ADD COLUMN     "check_in_minutes" INTEGER NOT NULL DEFAULT 30,
ADD COLUMN     "last_refusal" TEXT,
ADD COLUMN     "last_refused_at" TIMESTAMP(3);

