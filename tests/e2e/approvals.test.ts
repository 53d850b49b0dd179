import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { ApprovalsPage } from "./pages/approvals-page";
import { DashboardPage } from "./pages/dashboard-page";
import { screenshot } from "./setup/browser";
import { signInForCookie } from "./setup/session";
import { openSignedIn } from "./setup/signed-in";

const { baseUrl, ownerEmail, ownerPassword } = inject("e2e");

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
