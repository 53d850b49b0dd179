-- CreateTable
CREATE TABLE "email_accounts" (
    "id" TEXT NOT NULL,
    "email_address" TEXT NOT NULL,
    "provider" TEXT NOT NULL DEFAULT 'gmail',
    "access_token_encrypted" TEXT,
    "refresh_token_encrypted" TEXT,
    "access_token_expires_at" TIMESTAMP(3),
    "scopes" TEXT[],
    "history_id" TEXT,
    "watch_expiration" TIMESTAMP(3),
    "status" TEXT NOT NULL DEFAULT 'connected',
    "last_error" TEXT,
    "created_by" TEXT,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "email_accounts_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "email_accounts_email_address_key" ON "email_accounts"("email_address");

