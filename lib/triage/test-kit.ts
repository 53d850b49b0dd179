import { readFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll } from "vitest";
import { connectGmailAccount, type EmailAccountDto } from "@/lib/email/accounts";
import { autocommit } from "@/lib/db/transaction";
import { envForFile } from "@/tests/setup/config-env";
import { googleEnv, startFakeGmail, type FakeGmail } from "@/tests/fakes/gmail-server";
import { executeSyncRun } from "./sync";
import { insertSyncRun, type SyncKind, type SyncRunDto } from "./sync-runs";

// For triage tests: a fake Gmail server the app is configured to use (client id, endpoints), a
// connected account per test, the mail fixtures in tests/fixtures/mail, and a way to run a sync
// to its end with stage 1 only (no model).

export const MAIL_FIXTURES = ["newsletter", "invoice", "paypal-receipt", "github-notification", "action-needed", "personal", "bounce", "malformed"] as const;
export type MailFixture = (typeof MAIL_FIXTURES)[number];

export function mailFixture(name: MailFixture): Buffer {
  return readFileSync(path.join(process.cwd(), "tests", "fixtures", "mail", `${name}.eml`));
}

/** A copy of a fixture with another Message-ID and sender, so the same mail can arrive twice. */
export function variantOf(name: MailFixture, options: { from?: string; messageId?: string; subject?: string } = {}): Buffer {
  let text = mailFixture(name).toString("utf8");
  if (options.from) text = text.replace(/^From: .*$/m, `From: ${options.from}`);
  if (options.messageId) text = text.replace(/^Message-ID: .*$/im, `Message-ID: <${options.messageId}>`);
  if (options.subject) text = text.replace(/^Subject: .*$/m, `Subject: ${options.subject}`);
  return Buffer.from(text);
}

export type TriageKit = {
  fake: () => FakeGmail;
  /** Connects a new mailbox (a fresh address each call) through the real code exchange. */
  /** Connects a mailbox in the fake Gmail; `createdBy` null (the default): the installation owners'. */
  connect(email?: string, createdBy?: string | null): Promise<EmailAccountDto>;
  /** Persists a run and executes it with stage 1 only. */
  sync(accountId: string, kind: SyncKind, options?: { sinceDays?: number; maxMessages?: number }): Promise<SyncRunDto>;
};

let counter = 0;

/** Call at the top of a test file. */
export function triageKitForFile(): TriageKit {
  let fake: FakeGmail | undefined;
  const kit: TriageKit = {
    fake: () => fake!,
    async connect(email = `owner${++counter}.${Date.now()}@example.com`, createdBy = null) {
      return connectGmailAccount({ code: fake!.issueCode(email), redirectUri: "http://localhost:3000/api/email/oauth/callback", createdBy });
    },
    async sync(accountId, kind, options = {}) {
      const run = await insertSyncRun(autocommit(), { accountId, kind, trigger: "manual", ...options });
      return executeSyncRun(run.id, { model: null });
    },
  };
  beforeAll(async () => {
    fake = await startFakeGmail();
  });
  envForFile(() => ({ ...googleEnv(fake!), TRIAGE_MODEL: "off" }));
  afterAll(() => fake?.close());
  return kit;
}
