import { readFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { remoteFakeGmail } from "../fakes/gmail-remote";
import { ApprovalsPage } from "./pages/approvals-page";
import { DashboardPage } from "./pages/dashboard-page";
import { JobDetailPage } from "./pages/jobs-page";
import { screenshot } from "./setup/browser";
import { signInForCookie } from "./setup/session";
import { openSignedIn } from "./setup/signed-in";

const { baseUrl, ownerEmail, ownerPassword, gmailUrl } = inject("e2e");
const gmail = remoteFakeGmail(gmailUrl);

// The owner's Approvals page against `next start`: an agent (over HTTP) asks twice to run a
// pipeline its policy says to ask about; the badge counts them, the owner approves one and denies
// the other with a reason, and the agent learns both decisions when it polls.
describe("approvals (browser and agent API)", () => {
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let cookie = "";
  let token = "";
  const ids: string[] = [];

  const asOwner = (path: string, init: RequestInit = {}) =>
    fetch(`${baseUrl}${path}`, { ...init, headers: { cookie, "content-type": "application/json", ...init.headers } });
  const asAgent = (path: string, init: RequestInit = {}) =>
    fetch(`${baseUrl}${path}`, { ...init, headers: { authorization: `Bearer ${token}`, "content-type": "application/json", ...init.headers } });
  const pendingCount = async () => ((await (await asOwner("/api/approvals/count")).json()) as { pending: number }).pending;

  beforeAll(async () => {
    cookie = await signInForCookie(baseUrl, ownerEmail, ownerPassword);
    const created = await asOwner("/api/agents", { method: "POST", body: JSON.stringify({ name: `e2e-asker-${Date.now()}`, jobKinds: [], pipelines: ["system.echo"] }) });
    const { agent, clientId, clientSecret } = (await created.json()) as { agent: { id: string }; clientId: string; clientSecret: string };
    const policy = await asOwner(`/api/agents/${agent.id}/policies`, { method: "PUT", body: JSON.stringify({ pipeline: "system.echo", mode: "ask" }) });
    expect(policy.status).toBe(200);
    const tokenRes = await fetch(`${baseUrl}/api/agent/token`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ grant_type: "client_credentials", client_id: clientId, client_secret: clientSecret }),
    });
    token = ((await tokenRes.json()) as { access_token: string }).access_token;
    for (const message of ["publish the weekly report", "delete the old backups"]) {
      const res = await asAgent("/api/agent/pipelines/system.echo/runs", { method: "POST", body: JSON.stringify({ input: { message } }) });
      expect(res.status).toBe(202);
      const body = (await res.json()) as { status: string; approval: { id: string } };
      expect(body.status).toBe("pending_approval");
      ids.push(body.approval.id);
    }
    ({ browser, context, page } = await openSignedIn(baseUrl, { email: ownerEmail, password: ownerPassword }));
  });
  afterAll(async () => {
    await context?.close();
    await browser?.close();
  });

  it("shows the pending count in the navigation and both requests on the page", async () => {
    const dashboard = new DashboardPage(page, baseUrl);
    const approvals = new ApprovalsPage(page);
    const pending = await pendingCount();
    expect(pending).toBeGreaterThanOrEqual(2);
    await page.reload();
    expect(await approvals.badge().textContent()).toBe(String(pending));
    await dashboard.navigate("Approvals");
    await dashboard.heading("Approvals").waitFor();
    for (const id of ids) expect(await approvals.status(id).textContent()).toBe("pending");
    expect(await approvals.card(ids[0]!).textContent()).toContain("publish the weekly report");
    await screenshot(page, "approvals-pending");
    await page.setViewportSize({ width: 390, height: 844 });
    await screenshot(page, "approvals-pending-phone");
    await page.setViewportSize({ width: 1280, height: 800 });
  });

  it("approves one: it runs as the agent, the badge goes down, the agent sees the run", async () => {
    const approvals = new ApprovalsPage(page);
    const before = await pendingCount();
    await approvals.approve(ids[0]!);
    await page.waitForFunction((id) => document.querySelector(`li[data-approval="${id}"] [data-status]`)?.textContent === "approved", ids[0]);
    await page.waitForFunction((n) => (document.querySelector('[data-testid="approvals-badge"]')?.textContent ?? "0") === String(n), before - 1);
    const polled = (await (await asAgent(`/api/agent/approvals/${ids[0]}`)).json()) as { approval: { status: string; runId: string } };
    expect(polled.approval).toMatchObject({ status: "approved", runId: expect.stringMatching(/^run_/) });
    const run = (await (await asOwner(`/api/runs/${polled.approval.runId}`)).json()) as { run: { status: string; output: unknown; actor: { type: string } } };
    expect(run.run).toMatchObject({ status: "succeeded", output: { message: "publish the weekly report" }, actor: { type: "agent" } });
  });

  it("denies the other with a reason: nothing runs, the agent reads the reason", async () => {
    const approvals = new ApprovalsPage(page);
    const before = await pendingCount();
    await approvals.deny(ids[1]!, "Keep the backups until March");
    await page.waitForFunction((id) => document.querySelector(`li[data-approval="${id}"] [data-status]`)?.textContent === "denied", ids[1]);
    expect(await approvals.card(ids[1]!).textContent()).toContain("Reason: Keep the backups until March");
    const badgeAfter = before - 1;
    await page.waitForFunction((n) => (document.querySelector('[data-testid="approvals-badge"]')?.textContent ?? "0") === String(n), badgeAfter);
    const polled = (await (await asAgent(`/api/agent/approvals/${ids[1]}`)).json()) as { approval: { status: string; reason: string; runId: string | null } };
    expect(polled.approval).toEqual(expect.objectContaining({ status: "denied", reason: "Keep the backups until March", runId: null }));
    await screenshot(page, "approvals-decided");
  });
});

// Closing the loop from the job page: a research brief became a note in the context hub, and an
// "action needed" mail became a reply-draft job (triage) whose result became a Gmail draft; the
// triaged message says "Reply draft ready", the job page shows the draft and deletes it.
describe("what a job's result became (browser)", () => {
  const TAG = `loop${Date.now().toString(36)}`;
  const ADDRESS = `${TAG}@e2e.test`;
  let signedIn: Awaited<ReturnType<typeof openSignedIn>>;
  let page: Page;
  let cookie = "";
  let token = "";
  let savedSetting: Record<string, unknown> | null = null;
  let accountId = "";

  const asOwner = (p: string, init: RequestInit = {}) => fetch(`${baseUrl}${p}`, { ...init, headers: { cookie, "content-type": "application/json", ...init.headers } });
  const asAgent = (p: string, body: unknown) =>
    fetch(`${baseUrl}${p}`, { method: "POST", headers: { authorization: `Bearer ${token}`, "content-type": "application/json" }, body: JSON.stringify(body) });

  /** Claims the job (among whatever else is queued of its kind) and completes it with `result`. */
  async function doJob(jobId: string, kind: string, result: unknown) {
    // Other tests may have left jobs of this kind queued: claim (at most 10 at a time) until ours comes.
    let job: { id: string; leaseId: string } | undefined;
    for (let round = 0; round < 10 && !job; round++) {
      const response = await asAgent("/api/agent/jobs/claim", { kinds: [kind], limit: 10 });
      expect(response.status).toBe(200);
      const claimed = (await response.json()) as { jobs: { id: string; leaseId: string }[] };
      if (claimed.jobs.length === 0) break;
      job = claimed.jobs.find((j) => j.id === jobId);
    }
    expect(job, `job ${jobId} was claimed`).toBeDefined();
    const done = await asAgent(`/api/agent/jobs/${jobId}/complete`, { leaseId: job!.leaseId, result });
    expect(done.status).toBe(200);
  }

  async function until<T>(what: string, read: () => Promise<T | null | undefined>, timeoutMs = 30_000): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const value = await read();
      if (value) return value;
      if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }

  const noSidewaysScroll = () => page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);

  beforeAll(async () => {
    cookie = await signInForCookie(baseUrl, ownerEmail, ownerPassword);
    const created = await asOwner("/api/agents", { method: "POST", body: JSON.stringify({ name: `e2e-loop-${TAG}`, jobKinds: ["research.brief", "inbox.reply-draft"], pipelines: [] }) });
    const { clientId, clientSecret } = (await created.json()) as { clientId: string; clientSecret: string };
    const tokenRes = await fetch(`${baseUrl}/api/agent/token`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ grant_type: "client_credentials", client_id: clientId, client_secret: clientSecret }),
    });
    token = ((await tokenRes.json()) as { access_token: string }).access_token;
    // "Action needed" mail becomes a reply-draft job (restored afterwards: off by default).
    const settings = (await (await asOwner("/api/triage/settings")).json()) as { categories: (Record<string, unknown> & { category: string })[] };
    savedSetting = settings.categories.find((c) => c.category === "action_needed") ?? null;
    const put = await asOwner("/api/triage/settings/action_needed", { method: "PUT", body: JSON.stringify({ labelName: null, archive: false, markRead: false, threshold: 0.5, jobKind: "inbox.reply-draft" }) });
    expect(put.status).toBe(200);
    signedIn = await openSignedIn(baseUrl, { email: ownerEmail, password: ownerPassword }, { viewport: { width: 1280, height: 900 } });
    page = signedIn.page;
  });
  afterAll(async () => {
    if (savedSetting) {
      const { labelName, archive, markRead, threshold, jobKind } = savedSetting;
      await asOwner("/api/triage/settings/action_needed", { method: "PUT", body: JSON.stringify({ labelName, archive, markRead, threshold, jobKind: jobKind ?? null }) });
    }
    if (accountId) await asOwner(`/api/email/accounts/${accountId}`, { method: "DELETE" });
    await signedIn?.browser.close();
  });

  it("links a research brief's note in the context hub from its job", async () => {
    const res = await asOwner("/api/jobs", { method: "POST", body: JSON.stringify({ kind: "research.brief", input: { topic: `Loop check ${TAG}`, questions: ["Does it land once?"] } }) });
    const jobId = ((await res.json()) as { run: { output: { jobId: string } } }).run.output.jobId;
    await doJob(jobId, "research.brief", { summary: "It lands once.", findings: [{ claim: "One note per job.", source: "https://example.org/loop" }], confidence: "high" });

    await page.goto(`${baseUrl}/jobs/${jobId}`);
    const outcome = page.getByTestId("job-outcome");
    await page.locator('[data-testid="job-outcome"][data-state="done"]').waitFor();
    const note = outcome.getByTestId("outcome-hub-file").getByRole("link");
    const href = await note.getAttribute("href");
    expect(href).toMatch(new RegExp(`^/context/knowledge/research/\\d{4}-\\d{2}-\\d{2}-loop-check-${TAG}\\.md$`));
    expect(await outcome.getByTestId("outcome-run").getAttribute("href")).toMatch(/^\/runs\/run_/);
    await screenshot(page, "job-outcome-hub-note");
    await page.setViewportSize({ width: 390, height: 844 });
    expect(await noSidewaysScroll()).toBeLessThanOrEqual(0);
    await screenshot(page, "job-outcome-hub-note-phone");
    await page.setViewportSize({ width: 1280, height: 900 });
    await note.click();
    await page.waitForURL((url) => url.pathname === href);
    expect(await page.getByTestId("file-content").textContent()).toContain("One note per job.");
  });

  it("shows a reply draft on the triaged message and the job, and deletes it from the job page", async () => {
    const raw = readFileSync(path.resolve(import.meta.dirname, "../fixtures/mail/action-needed.eml"), "latin1")
      .replace(/^Subject: (.*)$/m, (_line, subject: string) => `Subject: ${subject} [${TAG}]`)
      .replace(/^Message-ID: <([^>]*)>$/im, `Message-ID: <${TAG}@lettings.example>`);
    await gmail.addMessages([raw], { email: ADDRESS, labelIds: ["INBOX", "UNREAD"] });
    const landed = new URL((await page.goto(`${baseUrl}/api/email/connect?returnTo=/triage&loginHint=${encodeURIComponent(ADDRESS)}`))!.url());
    accountId = landed.searchParams.get("connected") ?? "";
    expect(accountId).toMatch(/^eml_/);
    type Message = { id: string; subject: string; job: { id: string; state: string; approval: { id: string; status: string } | null } | null };
    const messageWithJob = () =>
      until("the triaged message's job", async () => {
        const list = (await (await asOwner(`/api/triage/messages?accountId=${accountId}`)).json()) as { messages: Message[] };
        return list.messages.find((m) => m.subject.includes(TAG) && m.job);
      });
    const jobId = (await messageWithJob()).job!.id;
    await doJob(jobId, "inbox.reply-draft", { reply: "Thanks, I will sign it by Thursday.", needsHuman: false });
    await until("the draft", async () => (await messageWithJob()).job!.approval);
    expect((await gmail.outbox(ADDRESS)).drafts).toHaveLength(1);

    // The triaged message says the draft is ready and links to its job.
    await page.goto(`${baseUrl}/triage?category=action_needed`);
    const row = page.locator(`[data-testid="triaged-message"]`, { hasText: TAG });
    const jobLink = row.getByTestId("message-job");
    expect(await jobLink.textContent()).toBe("Reply draft ready");
    await screenshot(page, "triage-reply-draft-ready");
    await page.setViewportSize({ width: 390, height: 844 });
    expect(await noSidewaysScroll()).toBeLessThanOrEqual(0);
    await screenshot(page, "triage-reply-draft-ready-phone");
    await page.setViewportSize({ width: 1280, height: 900 });

    // The job shows the draft, whom it answers and the approval; deleting the draft is its undo.
    await jobLink.click();
    await page.waitForURL((url) => url.pathname === `/jobs/${jobId}`);
    const job = new JobDetailPage(page);
    const draft = page.getByTestId("outcome-gmail-draft");
    await draft.waitFor();
    expect(await draft.textContent()).toContain("Reply draft ready");
    expect(await draft.getByTestId("outcome-recipient").textContent()).toBe("Priya Landlord <priya@lettings.example>");
    expect(await draft.locator("[data-status]").first().textContent()).toBe("pending");
    expect((await job.status().textContent())?.toLowerCase()).toContain("succeeded");
    await screenshot(page, "job-outcome-gmail-draft");
    await page.setViewportSize({ width: 390, height: 844 });
    expect(await noSidewaysScroll()).toBeLessThanOrEqual(0);
    await screenshot(page, "job-outcome-gmail-draft-phone");
    await page.setViewportSize({ width: 1280, height: 900 });

    await draft.getByRole("button", { name: "Delete draft…" }).click();
    await draft.getByLabel("Why not?").fill("I will call her instead");
    await draft.getByRole("button", { name: "Delete draft", exact: true }).click();
    await page.waitForFunction(() => document.querySelector('[data-testid="outcome-gmail-draft"] [data-status]')?.textContent === "denied");
    expect(await draft.textContent()).toContain("the draft was deleted from Gmail and nothing was sent");
    const outbox = await gmail.outbox(ADDRESS);
    expect(outbox.drafts).toHaveLength(0);
    expect(outbox.sent).toHaveLength(0);
    await screenshot(page, "job-outcome-draft-deleted");
  });

  it("lists the reply drafts of one's own mailbox on Triage and sends one from there, once", async () => {
    const tag = `${TAG}b`;
    const raw = readFileSync(path.resolve(import.meta.dirname, "../fixtures/mail/action-needed.eml"), "latin1")
      .replace(/^Subject: (.*)$/m, (_line, subject: string) => `Subject: ${subject} [${tag}]`)
      .replace(/^Message-ID: <([^>]*)>$/im, `Message-ID: <${tag}@lettings.example>`);
    await gmail.addMessages([raw], { email: ADDRESS, labelIds: ["INBOX", "UNREAD"] });
    expect((await asOwner("/api/triage/runs", { method: "POST", body: JSON.stringify({ accountId, kind: "incremental" }) })).status).toBe(202);
    type Message = { subject: string; job: { id: string; approval: { id: string } | null } | null };
    const message = () =>
      until("the new message's job", async () => {
        const list = (await (await asOwner(`/api/triage/messages?accountId=${accountId}`)).json()) as { messages: Message[] };
        return list.messages.find((m) => m.subject.includes(tag) && m.job);
      });
    await doJob((await message()).job!.id, "inbox.reply-draft", { reply: "Signed and sent back, thanks!", needsHuman: false });
    const approvalId = (await until("the draft's approval", async () => (await message()).job!.approval)).id;
    const listed = (await (await asOwner("/api/triage/reply-drafts")).json()) as { drafts: { approval: { id: string } }[] };
    expect(listed.drafts.map((d) => d.approval.id)).toContain(approvalId);

    await page.goto(`${baseUrl}/triage`);
    const panel = page.getByTestId("reply-drafts");
    const card = panel.locator(`[data-approval="${approvalId}"]`);
    await card.waitFor();
    expect(await card.textContent()).toContain("Signed and sent back, thanks!");
    expect(await card.textContent()).toContain(tag);
    await screenshot(page, "triage-reply-drafts");
    await page.setViewportSize({ width: 390, height: 844 });
    expect(await noSidewaysScroll()).toBeLessThanOrEqual(0);
    await screenshot(page, "triage-reply-drafts-phone");
    await page.setViewportSize({ width: 1280, height: 900 });

    const sentBefore = (await gmail.outbox(ADDRESS)).sent.length;
    await card.getByRole("button", { name: "Approve and send" }).click();
    await card.waitFor({ state: "detached" });
    expect((await gmail.outbox(ADDRESS)).sent).toHaveLength(sentBefore + 1);
    const again = await asOwner(`/api/triage/reply-drafts/${approvalId}/send`, { method: "POST", body: "{}" });
    expect(again.status).toBe(409);
    expect((await gmail.outbox(ADDRESS)).sent).toHaveLength(sentBefore + 1);
  });
});
