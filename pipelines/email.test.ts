import { beforeAll, describe, expect, it } from "vitest";
import { autocommit } from "@/lib/db/transaction";
import type { Actor } from "@/lib/pipelines/define";
import { runPipeline } from "@/lib/pipelines/run-pipeline";
import { failure } from "@/tests/setup/app-error";
import { mailFixture, triageKitForFile } from "@/lib/triage/test-kit";

// email.triage and email.classify through the real runner, so chat, schedules and the API get the
// same behaviour: the sync with its thresholds and action log, or a classification of one email.

const kit = triageKitForFile();
const actor: Actor = { type: "user", id: "usr_test", label: "test@example.com" };
const run = (name: string, input: unknown) => runPipeline({ name, input, trigger: "api", actor, waitMs: 30_000 });

// Started by a person, email.triage covers the mailboxes they own: the kit's mailboxes are the owners'.
beforeAll(async () => {
  await autocommit().user.create({ data: { id: "usr_test", email: "test@example.com", role: "owner" } });
});

describe("email.classify", () => {
  it("classifies a raw email without touching any mailbox", async () => {
    const { run: done } = await run("email.classify", { raw: mailFixture("paypal-receipt").toString("utf8") });
    expect(done.status).toBe("succeeded");
    expect(done.output).toMatchObject({ category: "finance", stage: "learned", modelCalls: 0 });
    expect((done.output as { reasons: string[] }).reasons).toContain("known payment sender paypal.com");
  });

  it("refuses an empty email with a validation error", async () => {
    expect(await failure(run("email.classify", { raw: "" }))).toMatchObject({ code: "validation_failed" });
  });
});

describe("email.triage", () => {
  it("syncs the given account and reports what it did", async () => {
    const account = await kit.connect();
    kit.fake().addMessages([mailFixture("newsletter"), mailFixture("github-notification")], ["INBOX", "UNREAD"], { email: account.emailAddress });
    const { run: done } = await run("email.triage", { accountId: account.id, kind: "backfill" });
    expect(done.status).toBe("succeeded");
    expect(done.output).toEqual({
      accounts: [
        expect.objectContaining({ accountId: account.id, emailAddress: account.emailAddress, status: "succeeded", kind: "backfill", total: 2, autoApplied: 1, queuedForReview: 1, modelCalls: 0 }),
      ],
    });
    const runId = (done.output as { accounts: { runId: string }[] }).accounts[0]!.runId;
    expect(await autocommit().triageSyncRun.findUniqueOrThrow({ where: { id: runId } })).toMatchObject({ trigger: "pipeline", requestedBy: "usr_test" });
  });

  it("fails clearly for an unknown account", async () => {
    const { run: done } = await run("email.triage", { accountId: "eml_missing" });
    expect(done).toMatchObject({ status: "failed" });
    expect(JSON.stringify(done.error)).toContain("No connected email account eml_missing");
  });
});
