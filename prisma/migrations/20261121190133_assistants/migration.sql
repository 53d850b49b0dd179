-- AlterTable
ALTER TABLE "pipeline_runs" ADD COLUMN     "conversation_id" TEXT;

-- CreateTable
CREATE TABLE "assistant_areas" (
    "id" TEXT NOT NULL,
    "slug" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "description" TEXT NOT NULL DEFAULT '',
    "instructions" TEXT NOT NULL DEFAULT '',
    "pipelines" TEXT[],
    "model" TEXT NOT NULL,
    "max_steps" INTEGER NOT NULL,
    "turn_budget_usd" DOUBLE PRECISION NOT NULL,
    "daily_budget_usd" DOUBLE PRECISION NOT NULL,
    "input_usd_per_mtok" DOUBLE PRECISION NOT NULL DEFAULT 0,
    "output_usd_per_mtok" DOUBLE PRECISION NOT NULL DEFAULT 0,
    "position" INTEGER NOT NULL DEFAULT 0,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "assistant_areas_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "conversations" (
    "id" TEXT NOT NULL,
    "area_id" TEXT NOT NULL,
    "user_id" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "last_message_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "conversations_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "chat_messages" (
    "id" TEXT NOT NULL,
    "conversation_id" TEXT NOT NULL,
    "position" INTEGER NOT NULL,
    "role" TEXT NOT NULL,
    "parts" JSONB NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "chat_messages_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "chat_turns" (
    "id" TEXT NOT NULL,
    "conversation_id" TEXT NOT NULL,
    "area_id" TEXT NOT NULL,
    "assistant_message_id" TEXT,
    "model" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "end_reason" TEXT,
    "steps" INTEGER NOT NULL DEFAULT 0,
    "tool_calls" INTEGER NOT NULL DEFAULT 0,
    "refused_tool_calls" INTEGER NOT NULL DEFAULT 0,
    "input_tokens" INTEGER NOT NULL DEFAULT 0,
    "output_tokens" INTEGER NOT NULL DEFAULT 0,
    "cost_usd" DOUBLE PRECISION NOT NULL DEFAULT 0,
    "error" TEXT,
    "started_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finished_at" TIMESTAMP(3),

    CONSTRAINT "chat_turns_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "assistant_areas_slug_key" ON "assistant_areas"("slug");

-- CreateIndex
CREATE INDEX "conversations_user_id_last_message_at_idx" ON "conversations"("user_id", "last_message_at");

-- CreateIndex
CREATE INDEX "conversations_area_id_last_message_at_idx" ON "conversations"("area_id", "last_message_at");

-- CreateIndex
CREATE UNIQUE INDEX "chat_messages_conversation_id_position_key" ON "chat_messages"("conversation_id", "position");

-- CreateIndex
CREATE INDEX "chat_turns_area_id_started_at_idx" ON "chat_turns"("area_id", "started_at");

-- CreateIndex
CREATE INDEX "chat_turns_conversation_id_started_at_idx" ON "chat_turns"("conversation_id", "started_at");

-- CreateIndex
CREATE INDEX "pipeline_runs_conversation_id_idx" ON "pipeline_runs"("conversation_id");

-- AddForeignKey
ALTER TABLE "conversations" ADD CONSTRAINT "conversations_area_id_fkey" FOREIGN KEY ("area_id") REFERENCES "assistant_areas"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "chat_messages" ADD CONSTRAINT "chat_messages_conversation_id_fkey" FOREIGN KEY ("conversation_id") REFERENCES "conversations"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "chat_turns" ADD CONSTRAINT "chat_turns_conversation_id_fkey" FOREIGN KEY ("conversation_id") REFERENCES "conversations"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "chat_turns" ADD CONSTRAINT "chat_turns_area_id_fkey" FOREIGN KEY ("area_id") REFERENCES "assistant_areas"("id") ON DELETE CASCADE ON UPDATE CASCADE;

