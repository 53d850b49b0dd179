import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { drain } from "@/inngest/in-process-driver";
import { autocommit } from "@/lib/db/transaction";
import { pushBody, pushClaims, pushEnv } from "@/lib/email/push-test-kit";
import { receivePush } from "@/lib/email/receive-push";
import { startFakeGoogleOidc, type FakeGoogleOidc } from "@/tests/fakes/google-oidc";
import { envForFile } from "@/tests/setup/config-env";
import { mailFixture, triageKitForFile } from "./test-kit";

// The whole push path with nothing mocked: a Google-signed push → stored → dispatched to the
// in-process driver → incremental sync through the fake Gmail API → triaged and labelled. A
// repeated push and a forged one change nothing.

const kit = triageKitForFile();
let oidc: FakeGoogleOidc;
beforeAll(async () => {
  oidc = await startFakeGoogleOidc();
});
afterAll(() => oidc.close());
envForFile(() => pushEnv(oidc.certsUrl));

async function push(emailAddress: string, historyId: number, options: { messageId?: string; token?: string } = {}) {
  const headers = new Headers({ "content-type": "application/json", authorization: `Bearer ${options.token ?? oidc.sign(pushClaims())}` });
  const result = await receivePush({ headers, rawBody: Buffer.from(pushBody({ emailAddress, historyId }, { messageId: options.messageId })), requestId: "req_push" });
  await drain();
  return result;
}

describe("push → incremental sync", () => {
  it("triages new mail once, however often the push comes", async () => {
    const account = await kit.connect();
    const [invoice] = kit.fake().addMessages([mailFixture("invoice")], ["INBOX", "UNREAD"], { email: account.emailAddress });
    const historyId = kit.fake().historyId();

    const first = await push(account.emailAddress, historyId, { messageId: "1001" });
    expect(first.status).toBe(202);
    const triaged = await autocommit().triagedMessage.findMany({ where: { accountId: account.id } });
    expect(triaged).toEqual([expect.objectContaining({ gmailMessageId: invoice!.id, category: "finance", status: "applied" })]);
    const notification = await autocommit().gmailNotification.findFirstOrThrow({ where: { pubsubMessageId: "1001" } });
    expect(notification).toMatchObject({ status: "processed", accountId: account.id });
    expect(notification.syncRunId).not.toBeNull();

    // Pub/Sub redelivers the same message, and Gmail notifies the same change again.
    expect((await push(account.emailAddress, historyId, { messageId: "1001" })).status).toBe(200);
    expect((await push(account.emailAddress, historyId, { messageId: "1002" })).status).toBe(202);
    expect(await autocommit().triagedMessage.count({ where: { accountId: account.id } })).toBe(1);
    expect(await autocommit().triageAction.count({ where: { accountId: account.id } })).toBe(1);
    expect(await autocommit().triageSyncRun.count({ where: { accountId: account.id } })).toBe(1);
  });

  it("refuses a forged push and syncs nothing", async () => {
    const account = await kit.connect();
    kit.fake().addMessages([mailFixture("newsletter")], ["INBOX"], { email: account.emailAddress });
    const forged = oidc.sign(pushClaims(), { key: oidc.unpublishedKey() });
    const error = await push(account.emailAddress, kit.fake().historyId(), { token: forged }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "unauthorized" });
    expect(await autocommit().gmailNotification.count({ where: { emailAddress: account.emailAddress } })).toBe(0);
    expect(await autocommit().triagedMessage.count({ where: { accountId: account.id } })).toBe(0);
  });
});
