-- AlterTable
ALTER TABLE "email_accounts" ADD COLUMN     "label_names" JSONB NOT NULL DEFAULT '{}';

