-- CreateEnum
CREATE TYPE "CatchUpPolicy" AS ENUM ('skip', 'once', 'all');

-- CreateEnum
CREATE TYPE "OverlapPolicy" AS ENUM ('skip', 'queue');

-- CreateEnum
CREATE TYPE "SlotStatus" AS ENUM ('pending', 'running', 'succeeded', 'failed', 'skipped');

-- CreateEnum
CREATE TYPE "SlotKind" AS ENUM ('regular', 'catch_up', 'manual');

-- CreateEnum
CREATE TYPE "WebhookEventStatus" AS ENUM ('received', 'dispatched', 'processed', 'failed', 'invalid');

-- CreateTable
CREATE TABLE "schedules" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "description" TEXT,
    "cron" TEXT NOT NULL,
    "timezone" TEXT NOT NULL,
    "pipeline" TEXT NOT NULL,
    "input" JSONB NOT NULL,
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "catch_up" "CatchUpPolicy" NOT NULL DEFAULT 'once',
    "catch_up_limit" INTEGER NOT NULL DEFAULT 10,
    "overlap" "OverlapPolicy" NOT NULL DEFAULT 'skip',
    "next_run_at" TIMESTAMP(3),
    "last_slot_at" TIMESTAMP(3),
    "last_run_id" TEXT,
    "last_run_status" "RunStatus",
    "last_run_at" TIMESTAMP(3),
    "created_by" TEXT,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "schedules_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "schedule_slots" (
    "id" TEXT NOT NULL,
    "schedule_id" TEXT NOT NULL,
    "slot_at" TIMESTAMP(3) NOT NULL,
    "kind" "SlotKind" NOT NULL DEFAULT 'regular',
    "status" "SlotStatus" NOT NULL DEFAULT 'pending',
    "reason" TEXT,
    "run_id" TEXT,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "claimed_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "started_at" TIMESTAMP(3),
    "finished_at" TIMESTAMP(3),

    CONSTRAINT "schedule_slots_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "webhook_sources" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "description" TEXT,
    "secret_encrypted" TEXT NOT NULL,
    "tolerance_seconds" INTEGER NOT NULL DEFAULT 300,
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "webhook_sources_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "webhook_subscriptions" (
    "id" TEXT NOT NULL,
    "source_id" TEXT NOT NULL,
    "event_type" TEXT NOT NULL,
    "pipeline" TEXT NOT NULL,
    "input_template" JSONB NOT NULL,
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "webhook_subscriptions_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "webhook_events" (
    "id" TEXT NOT NULL,
    "source_id" TEXT NOT NULL,
    "delivery_id" TEXT NOT NULL,
    "event_type" TEXT,
    "headers" JSONB NOT NULL,
    "raw_body" TEXT NOT NULL,
    "payload" JSONB,
    "status" "WebhookEventStatus" NOT NULL DEFAULT 'received',
    "error" JSONB,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "received_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "dispatched_at" TIMESTAMP(3),
    "processed_at" TIMESTAMP(3),

    CONSTRAINT "webhook_events_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "webhook_dispatches" (
    "id" TEXT NOT NULL,
    "event_id" TEXT NOT NULL,
    "subscription_id" TEXT NOT NULL,
    "run_id" TEXT,
    "status" "SlotStatus" NOT NULL DEFAULT 'pending',
    "error" JSONB,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "webhook_dispatches_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "schedules_name_key" ON "schedules"("name");

-- CreateIndex
CREATE INDEX "schedules_enabled_next_run_at_idx" ON "schedules"("enabled", "next_run_at");

-- CreateIndex
CREATE INDEX "schedule_slots_schedule_id_slot_at_idx" ON "schedule_slots"("schedule_id", "slot_at" DESC);

-- CreateIndex
CREATE INDEX "schedule_slots_status_claimed_at_idx" ON "schedule_slots"("status", "claimed_at");

-- CreateIndex
CREATE UNIQUE INDEX "schedule_slots_schedule_id_slot_at_key" ON "schedule_slots"("schedule_id", "slot_at");

-- CreateIndex
CREATE UNIQUE INDEX "webhook_sources_name_key" ON "webhook_sources"("name");

-- CreateIndex
CREATE INDEX "webhook_subscriptions_source_id_event_type_idx" ON "webhook_subscriptions"("source_id", "event_type");

-- CreateIndex
CREATE INDEX "webhook_events_status_received_at_idx" ON "webhook_events"("status", "received_at");

-- CreateIndex
CREATE INDEX "webhook_events_source_id_received_at_idx" ON "webhook_events"("source_id", "received_at" DESC);

-- CreateIndex
CREATE UNIQUE INDEX "webhook_events_source_id_delivery_id_key" ON "webhook_events"("source_id", "delivery_id");

-- CreateIndex
CREATE UNIQUE INDEX "webhook_dispatches_event_id_subscription_id_key" ON "webhook_dispatches"("event_id", "subscription_id");

-- AddForeignKey
ALTER TABLE "schedule_slots" ADD CONSTRAINT "schedule_slots_schedule_id_fkey" FOREIGN KEY ("schedule_id") REFERENCES "schedules"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "webhook_subscriptions" ADD CONSTRAINT "webhook_subscriptions_source_id_fkey" FOREIGN KEY ("source_id") REFERENCES "webhook_sources"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "webhook_events" ADD CONSTRAINT "webhook_events_source_id_fkey" FOREIGN KEY ("source_id") REFERENCES "webhook_sources"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "webhook_dispatches" ADD CONSTRAINT "webhook_dispatches_event_id_fkey" FOREIGN KEY ("event_id") REFERENCES "webhook_events"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "webhook_dispatches" ADD CONSTRAINT "webhook_dispatches_subscription_id_fkey" FOREIGN KEY ("subscription_id") REFERENCES "webhook_subscriptions"("id") ON DELETE CASCADE ON UPDATE CASCADE;

