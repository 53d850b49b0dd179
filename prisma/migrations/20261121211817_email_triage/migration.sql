-- AlterTable
ALTER TABLE "email_accounts" ADD COLUMN     "last_sync_at" TIMESTAMP(3),
ADD COLUMN     "sync_lease_holder" TEXT,
ADD COLUMN     "sync_lease_until" TIMESTAMP(3),
ADD COLUMN     "watch_error" TEXT,
ADD COLUMN     "watch_renewed_at" TIMESTAMP(3);

-- CreateTable
CREATE TABLE "gmail_notifications" (
    "id" TEXT NOT NULL,
    "pubsub_message_id" TEXT NOT NULL,
    "email_address" TEXT NOT NULL,
    "history_id" TEXT NOT NULL,
    "account_id" TEXT,
    "status" TEXT NOT NULL DEFAULT 'received',
    "sync_run_id" TEXT,
    "error" TEXT,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "published_at" TIMESTAMP(3),
    "received_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "processed_at" TIMESTAMP(3),

    CONSTRAINT "gmail_notifications_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "triage_sync_runs" (
    "id" TEXT NOT NULL,
    "account_id" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'queued',
    "trigger" TEXT NOT NULL,
    "start_history_id" TEXT,
    "end_history_id" TEXT,
    "since_days" INTEGER,
    "max_messages" INTEGER,
    "total" INTEGER NOT NULL DEFAULT 0,
    "processed" INTEGER NOT NULL DEFAULT 0,
    "skipped" INTEGER NOT NULL DEFAULT 0,
    "auto_applied" INTEGER NOT NULL DEFAULT 0,
    "queued_for_review" INTEGER NOT NULL DEFAULT 0,
    "stage_one_decided" INTEGER NOT NULL DEFAULT 0,
    "model_calls" INTEGER NOT NULL DEFAULT 0,
    "error" TEXT,
    "requested_by" TEXT,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "started_at" TIMESTAMP(3),
    "finished_at" TIMESTAMP(3),
    "undone_at" TIMESTAMP(3),

    CONSTRAINT "triage_sync_runs_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "triaged_messages" (
    "id" TEXT NOT NULL,
    "account_id" TEXT NOT NULL,
    "gmail_message_id" TEXT NOT NULL,
    "thread_id" TEXT NOT NULL,
    "sync_run_id" TEXT NOT NULL,
    "from_address" TEXT,
    "from_name" TEXT,
    "subject" TEXT NOT NULL,
    "snippet" TEXT NOT NULL,
    "received_at" TIMESTAMP(3) NOT NULL,
    "category" TEXT NOT NULL,
    "confidence" DOUBLE PRECISION NOT NULL,
    "stage" TEXT NOT NULL,
    "reasons" TEXT[],
    "status" TEXT NOT NULL,
    "reviewed_category" TEXT,
    "reviewed_by" TEXT,
    "reviewed_at" TIMESTAMP(3),
    "labels_at_triage" TEXT[],
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "triaged_messages_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "triage_actions" (
    "id" TEXT NOT NULL,
    "account_id" TEXT NOT NULL,
    "message_id" TEXT NOT NULL,
    "gmail_message_id" TEXT NOT NULL,
    "sync_run_id" TEXT,
    "kind" TEXT NOT NULL,
    "category" TEXT NOT NULL,
    "labels_added" TEXT[],
    "labels_removed" TEXT[],
    "labels_before" TEXT[],
    "labels_after" TEXT[],
    "actor" TEXT NOT NULL,
    "undone_at" TIMESTAMP(3),
    "undo_action_id" TEXT,
    "undoes_action_id" TEXT,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "triage_actions_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "triage_category_settings" (
    "category" TEXT NOT NULL,
    "label_name" TEXT,
    "archive" BOOLEAN NOT NULL DEFAULT false,
    "mark_read" BOOLEAN NOT NULL DEFAULT false,
    "threshold" DOUBLE PRECISION NOT NULL DEFAULT 0.9,
    "updated_by" TEXT,
    "updated_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "triage_category_settings_pkey" PRIMARY KEY ("category")
);

-- CreateTable
CREATE TABLE "triage_sender_rules" (
    "id" TEXT NOT NULL,
    "match_type" TEXT NOT NULL,
    "match_value" TEXT NOT NULL,
    "category" TEXT NOT NULL,
    "note" TEXT,
    "origin" TEXT NOT NULL DEFAULT 'manual',
    "created_by" TEXT,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "triage_sender_rules_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "triage_feedback" (
    "id" TEXT NOT NULL,
    "message_id" TEXT NOT NULL,
    "from_category" TEXT NOT NULL,
    "to_category" TEXT NOT NULL,
    "stage" TEXT NOT NULL,
    "confidence" DOUBLE PRECISION NOT NULL,
    "rule_id" TEXT,
    "created_by" TEXT,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "triage_feedback_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "gmail_notifications_pubsub_message_id_key" ON "gmail_notifications"("pubsub_message_id");

-- CreateIndex
CREATE INDEX "gmail_notifications_status_received_at_idx" ON "gmail_notifications"("status", "received_at");

-- CreateIndex
CREATE INDEX "gmail_notifications_account_id_received_at_idx" ON "gmail_notifications"("account_id", "received_at");

-- CreateIndex
CREATE INDEX "triage_sync_runs_account_id_created_at_idx" ON "triage_sync_runs"("account_id", "created_at");

-- CreateIndex
CREATE INDEX "triage_sync_runs_status_created_at_idx" ON "triage_sync_runs"("status", "created_at");

-- CreateIndex
CREATE INDEX "triaged_messages_account_id_category_received_at_idx" ON "triaged_messages"("account_id", "category", "received_at");

-- CreateIndex
CREATE INDEX "triaged_messages_status_received_at_idx" ON "triaged_messages"("status", "received_at");

-- CreateIndex
CREATE INDEX "triaged_messages_sync_run_id_idx" ON "triaged_messages"("sync_run_id");

-- CreateIndex
CREATE UNIQUE INDEX "triaged_messages_account_id_gmail_message_id_key" ON "triaged_messages"("account_id", "gmail_message_id");

-- CreateIndex
CREATE INDEX "triage_actions_account_id_created_at_idx" ON "triage_actions"("account_id", "created_at");

-- CreateIndex
CREATE INDEX "triage_actions_message_id_created_at_idx" ON "triage_actions"("message_id", "created_at");

-- CreateIndex
CREATE INDEX "triage_actions_sync_run_id_idx" ON "triage_actions"("sync_run_id");

-- CreateIndex
CREATE UNIQUE INDEX "triage_sender_rules_match_type_match_value_key" ON "triage_sender_rules"("match_type", "match_value");

-- CreateIndex
CREATE INDEX "triage_feedback_created_at_idx" ON "triage_feedback"("created_at");

