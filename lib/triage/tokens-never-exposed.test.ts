import { Writable } from "node:stream";
import { afterEach, describe, expect, it } from "vitest";
import { decryptSecret } from "@/lib/crypto/encryption";
import { autocommit } from "@/lib/db/transaction";
import { listAccounts, tokenContexts } from "@/lib/email/accounts";
import { configureLogging } from "@/lib/logger";
import { runPipeline } from "@/lib/pipelines/run-pipeline";
import { listActions, listTriagedMessages, triageStats } from "./read-triage";
import { reviewMessage } from "./review";
import { getSyncRun } from "./sync-runs";
import { mailFixture, triageKitForFile } from "./test-kit";
import { undoSyncRun } from "./undo";

// "No token appears in plain text in the database, the logs, or any API response": a whole triage
// life (connect, backfill, a refresh after the access token died, review, undo, the pipeline)
// with debug logging captured, then every table, every log line and every DTO searched for the
// tokens the fake Google issued.

const kit = triageKitForFile();
afterEach(() => configureLogging({}));

function captureLogs(): string[] {
  const lines: string[] = [];
  configureLogging({ level: "debug", destination: new Writable({ write: (chunk, _enc, done) => void (lines.push(String(chunk)), done()) }) });
  return lines;
}

async function everyTableAsText(): Promise<string> {
  const tables = await autocommit().$queryRaw<{ tablename: string }[]>`SELECT tablename FROM pg_tables WHERE schemaname = current_schema()`;
  const parts: string[] = [];
  for (const { tablename } of tables) {
    const rows = await autocommit().$queryRawUnsafe<{ row: string }[]>(`SELECT row_to_json(t)::text AS row FROM "${tablename}" t`);
    parts.push(...rows.map((r) => r.row));
  }
  return parts.join("\n");
}

describe("Gmail tokens", () => {
  it("are in no table, log line or response in plain text", async () => {
    const logs = captureLogs();
    const account = await kit.connect();
    // The GitHub notification is one the stages leave for review (corrected below).
    kit.fake().addMessages(["newsletter", "invoice", "personal", "github-notification"].map((f) => mailFixture(f as "newsletter")), ["INBOX", "UNREAD"], { email: account.emailAddress });
    const run = await kit.sync(account.id, "backfill");
    kit.fake().expireAccessTokens(); // the next call refreshes, and the new token is stored
    kit.fake().addMessages([mailFixture("paypal-receipt")], ["INBOX"], { email: account.emailAddress });
    const pipeline = await runPipeline({ name: "email.triage", input: { accountId: account.id }, actor: { type: "system", label: "test" }, trigger: "api" });
    const review = (await listTriagedMessages("operator", { status: "review", accountId: account.id })).items[0]!;
    await reviewMessage(review.id, { category: "finance", createRule: "domain" }, { actor: "user:usr_test", userId: null, scope: "operator" });
    await undoSyncRun(run.id, { actor: "user:usr_test", scope: "operator" });

    const sealed = await autocommit().emailAccount.findUniqueOrThrow({ where: { id: account.id } });
    const tokens = new Set<string>([
      decryptSecret(sealed.refreshTokenEncrypted!, tokenContexts.refreshToken(account.id)),
      decryptSecret(sealed.accessTokenEncrypted!, tokenContexts.accessToken(account.id)),
      ...kit.fake().requests.map((r) => r.authorization?.replace(/^Bearer /, "") ?? "").filter(Boolean),
    ]);
    // The refresh happened: at least two access tokens and the refresh token.
    expect(tokens.size).toBeGreaterThanOrEqual(3);

    const responses = JSON.stringify([
      await listAccounts("operator"),
      await listTriagedMessages("operator", { accountId: account.id }),
      await listActions("operator", { accountId: account.id }),
      await getSyncRun("operator", run.id),
      await triageStats("operator"),
      pipeline,
    ]);
    const database = await everyTableAsText();
    const logText = logs.join("");
    expect(logText.length).toBeGreaterThan(0);
    for (const token of tokens) {
      expect(database).not.toContain(token);
      expect(logText).not.toContain(token);
      expect(responses).not.toContain(token);
    }
  });
});
