import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { approve, deny, retryApprovedRun } from "@/lib/approvals/decide-approval";
import { discardOwnReplyDraft, listOwnReplyDrafts, sendOwnReplyDraft } from "@/lib/approvals/own-reply-drafts";
import { notifyPendingApprovals } from "@/lib/approvals/notify-owner";
import { countPendingApprovals, getApprovalDetail, listApprovals } from "@/lib/approvals/read-approvals";
import { createAgent } from "@/lib/agents/service";
import { autocommit } from "@/lib/db/transaction";
import { isAppError } from "@/lib/errors";
import { retryResultHandler, startResultHandler, waitForResultRun } from "@/lib/jobs/result-handler";
import { cancelJob } from "@/lib/jobs/manage-jobs";
import { getJob, listJobs } from "@/lib/jobs/read-jobs";
import { newId } from "@/lib/ids";
import { configureLogging } from "@/lib/logger";
import { connectMcpClient, type TestHttpServer } from "@/lib/mcp/test-kit";
import { getPipeline } from "@/lib/pipelines/catalog";
import { startRun } from "@/lib/pipelines/runner";
import { listTriagedMessages } from "@/lib/triage/read-triage";
import { DEFAULT_CATEGORY_SETTINGS, saveCategorySetting } from "@/lib/triage/settings";
import { mailFixture, triageKitForFile, variantOf } from "@/lib/triage/test-kit";
import { serveAgentApi } from "@/tests/agents/agent-server";
import { readBody } from "@/tests/fakes/http";
import { envForFile } from "@/tests/setup/config-env";

// The loop of issue #12, end to end with nothing of ours mocked: "action needed" mail arrives in the
// fake Gmail → triage makes a reply-draft job → an agent (a real HTTP client, and once the official
// MCP client) claims and completes it → a Gmail draft in the thread → an approval → approving sends
// exactly that draft once; denying sends nothing; repeats change nothing.

const kit = triageKitForFile();
let api: TestHttpServer;
let notifyServer: Server;
const notices: { title: string; message: string; text: string }[] = [];

envForFile(async () => {
  notifyServer = createServer(async (req, res) => {
    notices.push(JSON.parse(await readBody(req)) as (typeof notices)[number]);
    res.writeHead(200).end("{}");
  });
  await new Promise<void>((resolve) => notifyServer.listen(0, "127.0.0.1", resolve));
  // A long batch delay: the test sends the batch itself, so it can count the messages.
  return { NOTIFY_WEBHOOK_URL: `http://127.0.0.1:${(notifyServer.address() as AddressInfo).port}/notify`, APPROVAL_NOTIFY_DELAY_SECONDS: "3600" };
});

beforeAll(async () => {
  configureLogging({ level: "silent" });
  api = await serveAgentApi();
  await saveCategorySetting({ ...DEFAULT_CATEGORY_SETTINGS.action_needed, threshold: 0.5, jobKind: "inbox.reply-draft" }, null);
});

afterAll(async () => {
  await api?.close();
  await new Promise((resolve) => notifyServer?.close(resolve));
});

const OWNER = { userId: null, label: "owner@example.com", trigger: "dashboard" as const, viewer: "operator" as const };
let agents = 0;

/** An agent with a credential, talking to the API over HTTP with its access token. */
async function httpAgent(scope: { jobKinds?: string[]; pipelines?: string[] }) {
  const issued = await createAgent({ name: `loop-agent-${++agents}`, jobKinds: scope.jobKinds ?? [], pipelines: scope.pipelines ?? [] }, null);
  const tokenRes = await fetch(`${api.url}/api/agent/token`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ grant_type: "client_credentials", client_id: issued.clientId, client_secret: issued.clientSecret }),
  });
  const token = ((await tokenRes.json()) as { access_token: string }).access_token;
  async function call(method: string, path: string, body?: unknown) {
    const res = await fetch(`${api.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { "content-type": "application/json" }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: res.status, headers: res.headers, json: (await res.json()) as AgentAnswer };
  }
  return { id: issued.agent.id, token, call };
}

/** The parts of the agent API's answers this test reads (each answer has some of them). */
type AgentAnswer = {
  jobs: { id: string; leaseId: string; instructions: string; input: { source?: unknown } }[];
  approval: { id: string; status: string };
  run: { id: string; status: string };
};

/** New "action needed" mail in a fresh mailbox (of `createdBy`, default the owners'), synced: returns the account, the Gmail message and its job. */
async function actionNeededMail(raw: Buffer = mailFixture("action-needed"), createdBy: string | null = null) {
  const account = await kit.connect(undefined, createdBy);
  const original = kit.fake().addMessage(raw, ["INBOX", "UNREAD"], { email: account.emailAddress });
  const run = await kit.sync(account.id, "backfill");
  expect(run.status).toBe("succeeded");
  const message = await autocommit().triagedMessage.findFirstOrThrow({ where: { accountId: account.id, gmailMessageId: original.id } });
  return { account, original, message };
}

const REPLY = "Hi Priya,\n\nThanks, I will sign the renewal and send it back by Thursday.\n\nBest";

describe("action needed mail → reply draft → approval → sent once", () => {
  it("runs the whole loop with an agent over HTTP, and repeats change nothing", async () => {
    const { account, original, message } = await actionNeededMail();
    expect(message).toMatchObject({ category: "action_needed", status: "applied" });
    expect(message.jobId).toMatch(/^job_/);
    const email = account.emailAddress;

    const agent = await httpAgent({ jobKinds: ["inbox.reply-draft"] });
    const claimed = await agent.call("POST", "/api/agent/jobs/claim", { kinds: ["inbox.reply-draft"] });
    expect(claimed.status).toBe(200);
    const job = claimed.json.jobs[0]!;
    expect(job.id).toBe(message.jobId);
    // Linked both ways, and the email's parts are fenced with this job's own random markers.
    expect(job.input.source).toEqual({ accountId: account.id, messageId: message.id, gmailMessageId: original.id, threadId: original.threadId });
    const token = /<<untrusted-([0-9a-f]{24})>>/.exec(job.instructions)?.[1];
    const fenced = job.instructions.split(`<<untrusted-${token}>>\n`).slice(1).map((block) => block.split(`\n<<end-untrusted-${token}>>`)[0]);
    expect(fenced).toContain("Action required: sign the lease renewal by Friday");
    expect(fenced.some((block) => block?.includes("Could you sign it and send it back by Friday?"))).toBe(true);

    const completed = await agent.call("POST", `/api/agent/jobs/${job.id}/complete`, { leaseId: job.leaseId, result: { reply: REPLY, needsHuman: false } });
    expect(completed.status).toBe(200);
    expect(completed.json).toMatchObject({ status: "succeeded", idempotent: false, resultHandler: "email.create-reply-draft" });
    const handlerRun = await waitForResultRun(job.id);
    expect(handlerRun).toMatchObject({ pipeline: "email.create-reply-draft", status: "succeeded" });

    // The draft sits in the original thread, as a reply to it; nothing is sent.
    const drafts = kit.fake().drafts(email);
    expect(drafts).toHaveLength(1);
    expect(drafts[0]!.message.threadId).toBe(original.threadId);
    const raw = drafts[0]!.message.raw.toString("utf8");
    expect(raw).toContain("In-Reply-To: <lease-renewal-2025@lettings.example>");
    expect(raw).toContain("References: <lease-renewal-2025@lettings.example>");
    expect(raw).toContain("To: Priya Landlord <priya@lettings.example>");
    expect(raw).toContain("Subject: Re: Action required: sign the lease renewal by Friday");
    expect(kit.fake().sent(email)).toHaveLength(0);

    // The job links to the run and what it produced: the draft, its recipient and the approval.
    const detail = await getJob("operator", job.id);
    expect(detail.job.resultRunId).toBe(handlerRun.id);
    expect(handlerRun.output).toMatchObject({ artifact: { type: "gmail-draft", draftId: drafts[0]!.id, threadId: original.threadId } });
    expect(detail.outcome).toMatchObject({
      state: "done",
      handler: "email.create-reply-draft",
      run: { id: handlerRun.id, status: "succeeded", error: null },
      artifact: { type: "gmail-draft", draftId: drafts[0]!.id, threadId: original.threadId, accountId: account.id },
      approval: { kind: "reply_draft", status: "pending", to: "Priya Landlord <priya@lettings.example>", subject: "Action required: sign the lease renewal by Friday", run: null },
    });
    expect(detail.outcome.approval!.id).toBe(detail.outcome.artifact!.approvalId);
    // The triaged message shows its job and that the draft is ready.
    const inbox = async () => (await listTriagedMessages("operator", { accountId: account.id })).items.find((m) => m.id === message.id)!;
    expect((await inbox()).job).toEqual({ id: job.id, kind: "inbox.reply-draft", status: "succeeded", state: "done", approval: { id: detail.outcome.approval!.id, status: "pending", runStatus: null } });

    // A duplicate completion and a retried handler change nothing.
    const again = await agent.call("POST", `/api/agent/jobs/${job.id}/complete`, { leaseId: job.leaseId, result: { reply: REPLY, needsHuman: false } });
    expect(again.json).toMatchObject({ idempotent: true });
    expect((await waitForResultRun(job.id)).id).toBe(handlerRun.id);
    expect((await startResultHandler(job.id))!.reused).toBe(true);
    const retried = await startRun(getPipeline("email.create-reply-draft"), { jobId: job.id }, { trigger: "dashboard", actor: { type: "system", label: "retry" }, idempotencyKey: "manual-retry", resolve: getPipeline });
    expect(await retried.completion).toMatchObject({ status: "succeeded", output: { created: false } });
    // Even with its approval lost (a crash between Gmail and the database), the draft is found by its header.
    await autocommit().approval.deleteMany({ where: { jobId: job.id } });
    const afterCrash = await startRun(getPipeline("email.create-reply-draft"), { jobId: job.id }, { trigger: "dashboard", actor: { type: "system", label: "retry" }, idempotencyKey: "after-crash", resolve: getPipeline });
    expect(await afterCrash.completion).toMatchObject({ status: "succeeded", output: { artifact: { draftId: drafts[0]!.id } } });
    expect(kit.fake().drafts(email)).toHaveLength(1);

    // It waits in Approvals, and the owner is told once, without the email's content.
    const pending = (await listApprovals("operator", { status: ["pending"], kind: ["reply_draft"] })).approvals.filter((a) => a.jobId === job.id);
    expect(pending).toHaveLength(1);
    notices.length = 0;
    const notified = await notifyPendingApprovals();
    expect(notified?.notified).toBeGreaterThanOrEqual(1);
    expect(notices).toHaveLength(1);
    expect(notices[0]!.text).toContain("/approvals");
    for (const secret of ["Priya", "lease", "renewal", "Friday", "Thursday"]) expect(notices[0]!.text.toLowerCase()).not.toContain(secret.toLowerCase());
    expect(await notifyPendingApprovals()).toBeNull();
    expect(notices).toHaveLength(1);

    // Approving sends exactly that draft, once.
    const decision = await approve(pending[0]!.id, OWNER);
    expect(decision.approval.status).toBe("approved");
    expect(decision.run).toMatchObject({ pipeline: "email.send-draft", status: "succeeded" });
    const sent = kit.fake().sent(email);
    expect(sent).toHaveLength(1);
    expect(sent[0]!.threadId).toBe(original.threadId);
    expect(sent[0]!.raw.toString("utf8")).toContain(`X-PA-Job: ${job.id}`);
    expect(kit.fake().drafts(email)).toHaveLength(0);
    expect((await inbox()).job?.approval).toMatchObject({ status: "approved", runStatus: "succeeded" });
    await expect(approve(pending[0]!.id, OWNER)).rejects.toSatisfy((e) => isAppError(e) && e.code === "conflict");
    const sendAgain = await startRun(getPipeline("email.send-draft"), { approvalId: pending[0]!.id }, { trigger: "dashboard", actor: { type: "system", label: "again" }, idempotencyKey: "send-again", resolve: getPipeline });
    expect((await sendAgain.completion).status).toBe("failed");
    expect(kit.fake().sent(email)).toHaveLength(1);
  });

  it("completes through MCP with the official client; denial deletes the draft and sends nothing", async () => {
    const { account, message } = await actionNeededMail(variantOf("action-needed", { messageId: "second-lease@lettings.example" }));
    const agent = await httpAgent({ jobKinds: ["inbox.reply-draft"] });
    const client: Client = await connectMcpClient(`${api.url}/api/agent/mcp`, agent.token);
    try {
      const claim = await client.callTool({ name: "jobs_claim", arguments: { kinds: ["inbox.reply-draft"] } });
      const job = (claim.structuredContent as { jobs: { id: string; leaseId: string }[] }).jobs[0]!;
      expect(job.id).toBe(message.jobId);
      const done = await client.callTool({ name: "jobs_complete", arguments: { jobId: job.id, leaseId: job.leaseId, result: { reply: REPLY, needsHuman: true, reason: "It commits to a date" } } });
      expect(done.isError).toBeFalsy();
      await waitForResultRun(job.id);
    } finally {
      await client.close();
    }
    expect(kit.fake().drafts(account.emailAddress)).toHaveLength(1);
    const approval = (await listApprovals("operator", { status: ["pending"] })).approvals.find((a) => a.jobId === message.jobId)!;
    expect(approval.summary).toContain("It commits to a date");

    const denied = await deny(approval.id, { reason: "I will call her instead" }, OWNER);
    expect(denied.approval).toMatchObject({ status: "denied", reason: "I will call her instead" });
    expect(denied.run).toMatchObject({ pipeline: "email.discard-draft", status: "succeeded" });
    expect(kit.fake().drafts(account.emailAddress)).toHaveLength(0);
    expect(kit.fake().sent(account.emailAddress)).toHaveLength(0);
    await expect(approve(approval.id, OWNER)).rejects.toSatisfy((e) => isAppError(e) && e.code === "conflict");
    await expect(deny(approval.id, { reason: "" }, OWNER)).rejects.toSatisfy((e) => isAppError(e) && e.code === "validation_failed");
    expect(kit.fake().sent(account.emailAddress)).toHaveLength(0);
  });
});

describe("work made from a person's mail is theirs alone", () => {
  it("hides a member's reply-draft job and approval from admins and owners, and lets the member send it", async () => {
    const person = async (role: "owner" | "admin" | "member") =>
      autocommit().user.create({ data: { id: newId("usr"), email: `${role}.${newId("usr")}@example.com`, role }, select: { id: true, email: true, role: true } });
    const [alice, bob, admin, owner] = [await person("member"), await person("member"), await person("admin"), await person("owner")];
    const { account, message } = await actionNeededMail(variantOf("action-needed", { messageId: "members-lease@lettings.example" }), alice.id);
    const jobId = message.jobId!;
    expect((await autocommit().agentJob.findUniqueOrThrow({ where: { id: jobId } })).mailboxAccountId).toBe(account.id);

    // Before the agent answers: the job is the member's alone.
    for (const other of [admin, owner, bob]) {
      expect((await listJobs(other, { kind: ["inbox.reply-draft"], limit: 200 })).jobs.map((j) => j.id)).not.toContain(jobId);
      await expect(getJob(other, jobId)).rejects.toSatisfy((e) => isAppError(e) && e.code === "not_found");
      await expect(cancelJob(other, jobId, { userId: other.id, label: other.email })).rejects.toSatisfy((e) => isAppError(e) && e.code === "not_found");
    }
    expect((await getJob(alice, jobId)).job.input).toMatchObject({ subject: "Action required: sign the lease renewal by Friday" });
    // A mailbox connected before ownership was recorded is the owners': its jobs too.
    const ownersJobs = (await listJobs(owner, { kind: ["inbox.reply-draft"], limit: 200 })).jobs;
    expect(ownersJobs.length).toBeGreaterThan(0);
    expect((await listJobs(admin, { kind: ["inbox.reply-draft"], limit: 200 })).jobs).toEqual([]);

    const agent = await httpAgent({ jobKinds: ["inbox.reply-draft"] });
    const job = (await agent.call("POST", "/api/agent/jobs/claim", { kinds: ["inbox.reply-draft"], limit: 10 })).json.jobs.find((j) => j.id === jobId)!;
    await agent.call("POST", `/api/agent/jobs/${jobId}/complete`, { leaseId: job.leaseId, result: { reply: REPLY, needsHuman: false } });
    expect(await waitForResultRun(jobId)).toMatchObject({ status: "succeeded" });
    const approval = (await listApprovals(alice, { status: ["pending"], kind: ["reply_draft"] })).approvals.find((a) => a.jobId === jobId)!;
    expect(approval).toBeDefined();

    // Its approval: not in anyone else's list or count, 404 to read or decide, Gmail untouched.
    for (const other of [admin, owner]) {
      const before = await countPendingApprovals("operator");
      expect((await listApprovals(other, { limit: 200 })).approvals.map((a) => a.id)).not.toContain(approval.id);
      expect(await countPendingApprovals(other)).toBeLessThan(before);
      await expect(getApprovalDetail(other, approval.id)).rejects.toSatisfy((e) => isAppError(e) && e.code === "not_found");
      const by = { userId: other.id, label: other.email, trigger: "dashboard" as const, viewer: other };
      await expect(approve(approval.id, by)).rejects.toSatisfy((e) => isAppError(e) && e.code === "not_found");
      await expect(deny(approval.id, { reason: "not mine" }, by)).rejects.toSatisfy((e) => isAppError(e) && e.code === "not_found");
      expect(await listOwnReplyDrafts(other)).toEqual([]);
    }
    await expect(sendOwnReplyDraft(bob, approval.id)).rejects.toSatisfy((e) => isAppError(e) && e.code === "not_found");
    await expect(discardOwnReplyDraft(bob, approval.id, { reason: "x" })).rejects.toSatisfy((e) => isAppError(e) && e.code === "not_found");
    expect(kit.fake().drafts(account.emailAddress)).toHaveLength(1);
    expect(kit.fake().sent(account.emailAddress)).toHaveLength(0);

    // The member sees it with the reply and the message it answers, and sends it, once.
    const mine = await listOwnReplyDrafts(alice);
    expect(mine.map((d) => d.approval.id)).toEqual([approval.id]);
    expect(mine[0]).toMatchObject({ job: { id: jobId, result: { reply: REPLY } }, message: { subject: "Action required: sign the lease renewal by Friday" } });
    const sent = await sendOwnReplyDraft(alice, approval.id);
    expect(sent.run).toMatchObject({ pipeline: "email.send-draft", status: "succeeded", actorType: "user", actorId: alice.id });
    expect(kit.fake().sent(account.emailAddress)).toHaveLength(1);
    await expect(sendOwnReplyDraft(alice, approval.id)).rejects.toSatisfy((e) => isAppError(e) && e.code === "conflict");
    expect(kit.fake().sent(account.emailAddress)).toHaveLength(1);
    expect(await listOwnReplyDrafts(alice)).toEqual([]);
    // Only reply drafts of one's own mailboxes go through these calls: an agent's request is not one.
    const agentCall = (await listApprovals("operator", { kind: ["pipeline_call"], limit: 1 })).approvals[0];
    if (agentCall) await expect(sendOwnReplyDraft(owner, agentCall.id)).rejects.toSatisfy((e) => isAppError(e) && e.code === "not_found");

    // email.triage started by a person covers their own mailboxes only.
    const run = async (actor: { id: string; email: string }) =>
      (await startRun(getPipeline("email.triage"), { kind: "incremental" }, { trigger: "dashboard", actor: { type: "user", id: actor.id, label: actor.email }, resolve: getPipeline })).completion;
    const alices = await run(alice);
    expect(alices.status).toBe("succeeded");
    expect((alices.output as { accounts: { accountId: string }[] }).accounts.map((a) => a.accountId)).toEqual([account.id]);
    const admins = await run(admin);
    expect(admins).toMatchObject({ status: "failed", error: { code: "conflict" } });
  });
});

/** Takes the mailbox's tokens away (as a disconnect would) and returns a function that gives them back. */
async function disconnectForAWhile(accountId: string): Promise<() => Promise<void>> {
  const before = await autocommit().emailAccount.findUniqueOrThrow({ where: { id: accountId } });
  await autocommit().emailAccount.update({ where: { id: accountId }, data: { status: "disconnected", accessTokenEncrypted: null, refreshTokenEncrypted: null } });
  return async () => {
    await autocommit().emailAccount.update({
      where: { id: accountId },
      data: { status: before.status, accessTokenEncrypted: before.accessTokenEncrypted, refreshTokenEncrypted: before.refreshTokenEncrypted },
    });
  };
}

describe("a failed result run or send is retried from the job, once", () => {
  it("shows the failure on the job, drafts once on retry, and sends once when a failed send is retried", async () => {
    const { account, message } = await actionNeededMail(variantOf("action-needed", { messageId: "third-lease@lettings.example" }));
    const email = account.emailAddress;
    const agent = await httpAgent({ jobKinds: ["inbox.reply-draft"] });
    const claimed = (await agent.call("POST", "/api/agent/jobs/claim", { kinds: ["inbox.reply-draft"] })).json.jobs.find((j) => j.id === message.jobId);
    expect(claimed).toBeDefined();
    const job = claimed!;

    // The mailbox is disconnected when the agent hands its reply back: the handler fails, the job says why.
    const reconnect = await disconnectForAWhile(account.id);
    await agent.call("POST", `/api/agent/jobs/${job.id}/complete`, { leaseId: job.leaseId, result: { reply: REPLY, needsHuman: false } });
    const failedRun = await waitForResultRun(job.id);
    expect(failedRun.status).toBe("failed");
    const failed = await getJob("operator", job.id);
    expect(failed.outcome).toMatchObject({ state: "failed", artifact: null, approval: null, run: { id: failedRun.id, error: { code: "conflict", message: expect.stringContaining("disconnected") } } });
    expect(kit.fake().drafts(email)).toHaveLength(0);

    // Connected again, the owner retries: one draft, however often; the trail says who asked.
    await reconnect();
    const owner = { userId: null, label: "owner@example.com" };
    const [a, b] = await Promise.all([retryResultHandler(job.id, owner), retryResultHandler(job.id, owner)]);
    expect(b.run.id).toBe(a.run.id);
    expect(await a.completion).toMatchObject({ status: "succeeded", output: { created: true } });
    await expect(retryResultHandler(job.id, owner)).rejects.toSatisfy((e) => isAppError(e) && e.code === "conflict");
    expect(kit.fake().drafts(email)).toHaveLength(1);
    const drafted = await getJob("operator", job.id);
    expect(drafted.outcome).toMatchObject({ state: "done", run: { id: a.run.id }, artifact: { type: "gmail-draft" }, approval: { status: "pending" } });
    expect(drafted.events.filter((e) => e.type === "result_retried")).toHaveLength(1);

    // Approved while the mailbox is away: the send fails and nothing goes out; a retry sends it, once.
    const approvalId = drafted.outcome.approval!.id;
    await expect(retryApprovedRun(approvalId, OWNER)).rejects.toSatisfy((e) => isAppError(e) && e.code === "conflict");
    const reconnectAgain = await disconnectForAWhile(account.id);
    const decision = await approve(approvalId, OWNER);
    expect(decision.run).toMatchObject({ pipeline: "email.send-draft", status: "failed" });
    expect((await getJob("operator", job.id)).outcome.approval).toMatchObject({ status: "approved", run: { id: decision.run!.id, status: "failed" } });
    expect(kit.fake().sent(email)).toHaveLength(0);
    await reconnectAgain();
    const retried = await retryApprovedRun(approvalId, OWNER);
    expect(retried.run).toMatchObject({ pipeline: "email.send-draft", status: "succeeded", idempotencyKey: `approval:${approvalId}:after:${decision.run!.id}` });
    expect(retried.approval.runId).toBe(retried.run!.id);
    expect(kit.fake().sent(email)).toHaveLength(1);
    await expect(retryApprovedRun(approvalId, OWNER)).rejects.toSatisfy((e) => isAppError(e) && e.code === "conflict");
    expect(kit.fake().sent(email)).toHaveLength(1);
    expect((await getJob("operator", job.id)).outcome.approval).toMatchObject({ status: "approved", run: { id: retried.run!.id, status: "succeeded" } });
  });
});

describe("agents' calls to external pipelines wait for the owner", () => {
  it("answers pending_approval over HTTP with an id to poll; approval runs it as the agent", async () => {
    const agent = await httpAgent({ pipelines: ["notify.send"] });
    const input = { title: "Backup done", message: "All good" };
    const asked = await agent.call("POST", "/api/agent/pipelines/notify.send/runs", { input, idempotencyKey: "backup-1" });
    expect(asked.status).toBe(202);
    expect(asked.json).toMatchObject({ status: "pending_approval", approval: { status: "pending", pipeline: "notify.send" } });
    const id = asked.json.approval.id;
    expect(asked.headers.get("location")).toBe(`/api/agent/approvals/${id}`);
    // The same call again (same key) is the same request, and nothing ran.
    expect((await agent.call("POST", "/api/agent/pipelines/notify.send/runs", { input, idempotencyKey: "backup-1" })).json.approval.id).toBe(id);
    expect(await autocommit().pipelineRun.count({ where: { actorId: agent.id } })).toBe(0);
    expect((await agent.call("GET", `/api/agent/approvals/${id}`)).json.approval.status).toBe("pending");

    notices.length = 0;
    const decision = await approve(id, OWNER);
    expect(decision.run).toMatchObject({ status: "succeeded", trigger: "agent", actorType: "agent", actorId: agent.id, idempotencyKey: `approval:${id}` });
    expect(notices.map((n) => n.title)).toEqual(["Backup done"]);
    expect((await agent.call("GET", `/api/agent/approvals/${id}`)).json.approval).toMatchObject({ status: "approved", runId: decision.run!.id });

    // Another agent cannot see it; invalid input never becomes a request.
    const other = await httpAgent({ pipelines: ["notify.send"] });
    expect((await other.call("GET", `/api/agent/approvals/${id}`)).status).toBe(404);
    expect((await agent.call("POST", "/api/agent/pipelines/notify.send/runs", { input: { title: "" } })).status).toBe(400);
  });

  it("answers pending_approval through MCP; a denial reaches the agent with its reason; policies allow and deny", async () => {
    const agent = await httpAgent({ pipelines: ["notify.send", "system.echo"] });
    const client = await connectMcpClient(`${api.url}/api/agent/mcp`, agent.token);
    try {
      const asked = await client.callTool({ name: "pipeline__notify_send", arguments: { title: "Hi", message: "There" } });
      expect(asked.isError).toBeFalsy();
      const answer = asked.structuredContent as { status: string; approval: { id: string }; pollWith: { tool: string } };
      expect(answer).toMatchObject({ status: "pending_approval", pollWith: { tool: "approvals_get" } });
      await deny(answer.approval.id, { reason: "Not from this agent" }, OWNER);
      const polled = await client.callTool({ name: "approvals_get", arguments: { approvalId: answer.approval.id } });
      expect(polled.structuredContent).toMatchObject({ approval: { status: "denied", reason: "Not from this agent", runId: null } });
      // Internal pipelines run at once by default.
      const echoed = await client.callTool({ name: "pipeline__system_echo", arguments: { message: "x" } });
      expect(echoed.structuredContent).toMatchObject({ status: "succeeded" });
    } finally {
      await client.close();
    }
    const { setPolicy } = await import("@/lib/approvals/policy");
    await setPolicy(agent.id, { pipeline: "notify.send", mode: "deny" }, "owner");
    expect((await agent.call("POST", "/api/agent/pipelines/notify.send/runs", { input: { title: "a", message: "b" } })).status).toBe(403);
    await setPolicy(agent.id, { pipeline: "notify.send", mode: "allow" }, "owner");
    const allowed = await agent.call("POST", "/api/agent/pipelines/notify.send/runs", { input: { title: "a", message: "b" } });
    expect(allowed.status).toBe(200);
    expect(allowed.json.run).toMatchObject({ status: "succeeded", actor: { type: "agent", id: agent.id } });
  });
});
