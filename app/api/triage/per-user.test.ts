import { readFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { callRoute, type RouteHandler } from "@/tests/setup/route-call";
import * as accountsRoute from "@/app/api/email/accounts/route";
import * as accountRoute from "@/app/api/email/accounts/[id]/route";
import * as actionsRoute from "@/app/api/triage/actions/route";
import * as undoActionRoute from "@/app/api/triage/actions/[id]/undo/route";
import * as messagesRoute from "@/app/api/triage/messages/route";
import * as messageRoute from "@/app/api/triage/messages/[id]/route";
import * as reviewRoute from "@/app/api/triage/messages/[id]/review/route";
import * as runsRoute from "@/app/api/triage/runs/route";
import * as runRoute from "@/app/api/triage/runs/[id]/route";
import * as undoRunRoute from "@/app/api/triage/runs/[id]/undo/route";
import * as statsRoute from "@/app/api/triage/stats/route";
import type { Role } from "@/lib/auth/permissions";
import type { BackgroundEvent } from "@/inngest/events";
import { autocommit } from "@/lib/db/transaction";
import { connectGmailAccount, type EmailAccountDto } from "@/lib/email/accounts";
import { listMailboxes } from "@/lib/triage/mailboxes";
import { triageStats } from "@/lib/triage/read-triage";
import type { TriageActionDto, TriagedMessageDto } from "@/lib/triage/read-triage";
import { executeSyncRun } from "@/lib/triage/sync";
import { requestSync } from "@/lib/triage/request-sync";
import { googleEnv, startFakeGmail, type FakeGmail } from "@/tests/fakes/gmail-server";
import { envForFile } from "@/tests/setup/config-env";

// Per-user mail: a mailbox and its triage belong to the person who connected it. Alice (a member)
// has a synced mailbox; Bob (a member), an admin and another owner are signed in in turn and must
// find nothing of it: lists are empty, ids answer 404 as a missing one does, stats count zero, and
// Alice's Gmail labels are untouched by their attempts.

type SessionUser = { id: string; email: string; name: string; role: Role };
const person = (id: string, role: Role): SessionUser => ({ id, email: `${id}@example.com`, name: id, role });
const alice = person("usr_alice", "member");
const bob = person("usr_bob", "member");
const admin = person("usr_admin", "admin");
const owner = person("usr_owner", "owner");
const viewer = person("usr_viewer", "viewer");

const session = vi.hoisted(() => ({ user: null as unknown }));
vi.mock("@/lib/auth/session", () => ({ getSessionUser: async () => session.user }));
vi.mock("@/inngest/dispatch", () => ({ dispatchBackground: async (_events: BackgroundEvent[]) => undefined }));

const MAIL_DIR = path.resolve(import.meta.dirname, "../../../tests/fixtures/mail");
const REDIRECT = "http://localhost:3000/api/email/oauth/callback";

let fake: FakeGmail;
let aliceAccount: EmailAccountDto;
let legacyAccount: EmailAccountDto;
let runId: string;
let message: TriagedMessageDto;
let action: TriageActionDto;

envForFile(async () => {
  fake = await startFakeGmail();
  return googleEnv(fake);
});
afterAll(() => fake?.close());

const as = (user: SessionUser) => (session.user = user);
const get = (handler: RouteHandler, url: string, params: Record<string, string> = {}) => callRoute(handler, url, { params });
const post = (handler: RouteHandler, url: string, body: unknown, params: Record<string, string> = {}) => callRoute(handler, url, { params, method: "POST", body });
const labelsOf = (gmailMessageId: string) => [...fake.message(gmailMessageId, "alice@example.com")!.labelIds].sort();

beforeAll(async () => {
  aliceAccount = await connectGmailAccount({ code: fake.issueCode("alice@example.com"), redirectUri: REDIRECT, createdBy: alice.id });
  // Connected before ownership was recorded: the installation owner's.
  legacyAccount = await connectGmailAccount({ code: fake.issueCode("legacy@example.com"), redirectUri: REDIRECT, createdBy: null });
  for (const name of ["newsletter.eml", "invoice.eml", "personal.eml"]) fake.addMessage(readFileSync(path.join(MAIL_DIR, name)), undefined, { email: "alice@example.com" });
  const run = await requestSync(alice, { accountId: aliceAccount.id, kind: "backfill", trigger: "manual", requestedBy: alice.id });
  runId = run.id;
  expect((await executeSyncRun(runId, { model: null })).status).toBe("succeeded");
  as(alice);
  const messages = (await get(messagesRoute.GET, "/api/triage/messages")).json.messages as TriagedMessageDto[];
  message = messages.find((m) => m.activeActionId)!;
  action = ((await get(actionsRoute.GET, `/api/triage/actions?messageId=${message.id}`)).json.actions as TriageActionDto[])[0]!;
});

describe("per-user mail", () => {
  it("shows the owner of a mailbox its messages, actions, run and stats", async () => {
    as(alice);
    expect((await get(messagesRoute.GET, "/api/triage/messages")).json.messages).toHaveLength(3);
    expect((await get(messageRoute.GET, `/api/triage/messages/${message.id}`, { id: message.id })).status).toBe(200);
    expect((await get(runRoute.GET, `/api/triage/runs/${runId}`, { id: runId })).status).toBe(200);
    expect((await get(runsRoute.GET, "/api/triage/runs")).json.runs.map((r: { id: string }) => r.id)).toEqual([runId]);
    expect((await get(statsRoute.GET, "/api/triage/stats")).json.stats.total).toBe(3);
    expect((await get(accountsRoute.GET, "/api/email/accounts")).json.accounts.map((a: EmailAccountDto) => a.id)).toEqual([aliceAccount.id]);
  });

  for (const [who, user] of [["another member", bob], ["an admin", admin], ["another owner", owner]] as const) {
    it(`finds nothing of it as ${who}: empty lists, zero stats, 404 for every id`, async () => {
      as(user);
      expect((await get(messagesRoute.GET, "/api/triage/messages")).json.messages).toEqual([]);
      expect((await get(messagesRoute.GET, `/api/triage/messages?accountId=${aliceAccount.id}`)).json.messages).toEqual([]);
      expect((await get(actionsRoute.GET, "/api/triage/actions")).json.actions).toEqual([]);
      expect((await get(actionsRoute.GET, `/api/triage/actions?messageId=${message.id}`)).json.actions).toEqual([]);
      expect((await get(runsRoute.GET, `/api/triage/runs?accountId=${aliceAccount.id}`)).json.runs).toEqual([]);
      const stats = (await get(statsRoute.GET, `/api/triage/stats?accountId=${aliceAccount.id}`)).json.stats;
      expect(stats).toMatchObject({ total: 0, autoApplied: 0, awaitingReview: 0, modelCalls: 0, corrections: 0, undone: 0 });
      expect((await get(statsRoute.GET, "/api/triage/stats")).json.stats.total).toBe(0);

      const missing = await get(messageRoute.GET, "/api/triage/messages/tmsg_nope", { id: "tmsg_nope" });
      const foreign = await get(messageRoute.GET, `/api/triage/messages/${message.id}`, { id: message.id });
      expect(foreign.status).toBe(404);
      expect(foreign.json.error.code).toBe(missing.json.error.code);
      expect((await get(runRoute.GET, `/api/triage/runs/${runId}`, { id: runId })).status).toBe(404);

      const before = labelsOf(message.gmailMessageId);
      expect((await post(reviewRoute.POST, `/api/triage/messages/${message.id}/review`, { category: "other" }, { id: message.id })).status).toBe(404);
      expect((await post(undoActionRoute.POST, `/api/triage/actions/${action.id}/undo`, undefined, { id: action.id })).status).toBe(404);
      expect((await post(undoRunRoute.POST, `/api/triage/runs/${runId}/undo`, undefined, { id: runId })).status).toBe(404);
      expect((await post(runsRoute.POST, "/api/triage/runs", { accountId: aliceAccount.id, kind: "incremental" })).status).toBe(404);
      expect(labelsOf(message.gmailMessageId)).toEqual(before);
    });
  }

  it("lets an admin see that the mailbox exists (address, status) and nothing in it; a member sees only their own", async () => {
    as(admin);
    const seen = (await get(accountsRoute.GET, "/api/email/accounts")).json.accounts.map((a: EmailAccountDto) => a.emailAddress);
    expect(seen).toEqual(["alice@example.com", "legacy@example.com"]);
    expect((await get(accountRoute.GET, `/api/email/accounts/${aliceAccount.id}`, { id: aliceAccount.id })).status).toBe(200);
    as(bob);
    expect((await get(accountsRoute.GET, "/api/email/accounts")).json.accounts).toEqual([]);
    expect((await get(accountRoute.GET, `/api/email/accounts/${aliceAccount.id}`, { id: aliceAccount.id })).status).toBe(404);
    const disconnect = await callRoute(accountRoute.DELETE, `/api/email/accounts/${aliceAccount.id}`, { params: { id: aliceAccount.id }, method: "DELETE" });
    expect(disconnect.status).toBe(404);
    expect((await autocommit().emailAccount.findUniqueOrThrow({ where: { id: aliceAccount.id } })).status).toBe("connected");
  });

  it("refuses triage to a viewer, who has no mailbox of their own", async () => {
    as(viewer);
    const refused = await get(messagesRoute.GET, "/api/triage/messages");
    expect(refused.status).toBe(403);
    expect(refused.json.error.details.permission).toBe("mail.own");
  });

  it("gives a mailbox connected before ownership was recorded to the owners, and to nobody else", async () => {
    expect((await listMailboxes(owner)).map((m) => m.account.id)).toEqual([legacyAccount.id]);
    expect(await listMailboxes(admin)).toEqual([]);
    expect((await listMailboxes(alice)).map((m) => m.account.id)).toEqual([aliceAccount.id]);
    // Background work and the CLI see every mailbox.
    expect((await listMailboxes("operator")).map((m) => m.account.id).sort()).toEqual([aliceAccount.id, legacyAccount.id].sort());
    expect((await triageStats("operator")).total).toBe(3);
  });

  it("lets the owner of the mailbox undo and review (the same calls that answered 404 to the others)", async () => {
    as(alice);
    const undone = await post(undoActionRoute.POST, `/api/triage/actions/${action.id}/undo`, undefined, { id: action.id });
    expect(undone.status).toBe(200);
    const reviewed = await post(reviewRoute.POST, `/api/triage/messages/${message.id}/review`, { category: "other", applyActions: false }, { id: message.id });
    expect(reviewed.status).toBe(200);
    expect(reviewed.json.message).toMatchObject({ id: message.id, status: "reviewed", reviewedCategory: "other" });
  });
});
