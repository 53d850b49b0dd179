import { describe, expect, it } from "vitest";
import { autocommit } from "@/lib/db/transaction";
import { mailFixture, triageKitForFile } from "@/lib/triage/test-kit";
import { cli } from "./run-cli";

// `pa triage mailboxes` and `pa triage sync` against this file's database and the fake Gmail.

const kit = triageKitForFile();

describe("pa triage mailboxes / sync", () => {
  it("says how to connect when there is no mailbox", async () => {
    const run = await cli(["triage", "mailboxes"]);
    expect(run.code).toBe(0);
    expect(run.out).toContain("No mailbox is connected");
    const sync = await cli(["triage", "sync"]);
    expect(sync.code).toBe(1);
    expect(sync.err).toBe("error: No mailbox is connected.");
  });

  it("backfills a mailbox, then syncs only what is new, and lists it", async () => {
    const account = await kit.connect();
    kit.fake().addMessages([mailFixture("newsletter"), mailFixture("github-notification")], ["INBOX", "UNREAD"], { email: account.emailAddress });

    const backfill = await cli(["triage", "sync", account.emailAddress, "--backfill", "--days", "7"]);
    expect(backfill.err).toBe("");
    expect(backfill.code).toBe(0);
    expect(backfill.out).toMatch(new RegExp(`^${account.emailAddress}: backfill, 2 looked at, 1 applied, 1 to review, 0 model calls \\[tsr_`));
    expect(await autocommit().triageSyncRun.findFirst({ where: { accountId: account.id, kind: "backfill" } })).toMatchObject({ trigger: "manual", sinceDays: 7 });

    kit.fake().addMessages([mailFixture("invoice")], ["INBOX"], { email: account.emailAddress });
    const incremental = await cli(["triage", "sync", account.id]);
    expect(incremental.out).toContain(`${account.emailAddress}: incremental, 1 looked at, 1 applied, 0 to review`);

    const list = await cli(["triage", "mailboxes"]);
    expect(list.out).toContain(account.emailAddress);
    expect(list.out).toMatch(/incremental succeeded \(1\/1\)/);
    // No Pub/Sub topic here: the push column says so, and why on standard error.
    expect(list.out).toContain("not_configured");
    expect(list.err).toContain("GMAIL_PUBSUB_TOPIC");
  });

  it("refuses --days without --backfill, and an unknown mailbox", async () => {
    expect((await cli(["triage", "sync", "--days", "3"])).err).toBe("error: --days and --max go with --backfill");
    expect((await cli(["triage", "sync", "--backfill", "--max", "0"])).err).toContain("--max must be a whole number of at least 1");
    expect((await cli(["triage", "sync", "nobody@example.com"])).err).toBe("error: No connected mailbox nobody@example.com");
  });
});
