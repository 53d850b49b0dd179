import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { DashboardPage } from "./pages/dashboard-page";
import { screenshot } from "./setup/browser";
import { openSignedIn } from "./setup/signed-in";

const { baseUrl, ownerEmail, ownerPassword } = inject("e2e");

// Registers an agent in the dashboard, then acts as that agent over HTTP: the credential shown
// once works, the scope holds where work executes, and revoking in the dashboard takes effect.
describe("agents (browser and agent API)", () => {
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let clientId = "";
  let clientSecret = "";
  let accessToken = "";

  beforeAll(async () => {
    ({ browser, context, page } = await openSignedIn(baseUrl, { email: ownerEmail, password: ownerPassword }));
  });
  afterAll(async () => {
    await context?.close();
    await browser?.close();
  });

  const agentApi = (path: string, init: RequestInit = {}) =>
    fetch(`${baseUrl}${path}`, { ...init, headers: { authorization: `Bearer ${accessToken}`, "content-type": "application/json", ...init.headers } });

  it("registers an agent and shows its secret once", async () => {
    const dashboard = new DashboardPage(page, baseUrl);
    await dashboard.navigate("Agents");
    await dashboard.heading("Agents").waitFor();
    await page.getByLabel("Name").fill("e2e-openclaw");
    await page.getByLabel("Description").fill("Does its rounds every ten minutes");
    await page.getByRole("checkbox", { name: /system\.echo/ }).check();
    await page.getByRole("group", { name: "Job kinds it may claim" }).getByRole("checkbox", { name: /research\.brief/ }).check();
    await page.getByRole("button", { name: "Register agent" }).click();
    const secret = page.getByTestId("client-secret");
    await secret.waitFor();
    clientSecret = (await secret.textContent())!.trim();
    expect(clientSecret).toMatch(/^pa_secret_[A-Za-z0-9_-]{40,}$/);
    clientId = (await page.locator("code", { hasText: /^pa_client_/ }).first().textContent())!.trim();
    await screenshot(page, "agent-created");
  });

  it("exchanges the credential for a token whose scope is enforced where the work runs", async () => {
    const res = await fetch(`${baseUrl}/api/agent/token`, {
      method: "POST",
      body: new URLSearchParams({ grant_type: "client_credentials", client_id: clientId, client_secret: clientSecret }),
    });
    expect(res.status).toBe(200);
    const token = await res.json();
    expect(token).toMatchObject({ token_type: "Bearer", scope: { pipelines: ["system.echo"], jobKinds: ["research.brief"] } });
    accessToken = token.access_token;

    const listed = await (await agentApi("/api/agent/pipelines")).json();
    expect(listed.pipelines.map((p: { name: string }) => p.name)).toEqual(["system.echo"]);
    const ran = await agentApi("/api/agent/pipelines/system.echo/runs", { method: "POST", body: JSON.stringify({ input: { message: "from the agent" } }) });
    expect(ran.status).toBe(200);
    expect((await ran.json()).run).toMatchObject({ trigger: "agent", actor: { type: "agent", label: "e2e-openclaw" } });
    const denied = await agentApi("/api/agent/pipelines/context.read/runs", { method: "POST", body: JSON.stringify({ input: {} }) });
    expect(denied.status).toBe(403);
  });

  it("shows the agent's tokens and the denied attempt, and revoking its tokens locks it out at once", async () => {
    await page.goto(`${baseUrl}/agents`);
    await page.getByRole("link", { name: "e2e-openclaw" }).click();
    await page.getByRole("heading", { name: "Active tokens" }).waitFor();
    await expect.poll(() => page.getByText("scope.denied").first().isVisible()).toBe(true);
    await screenshot(page, "agent-detail");

    await page.getByRole("button", { name: "Revoke all tokens" }).click();
    await page.getByText(/Revoked \d+ tokens?\./).waitFor();
    const after = await agentApi("/api/agent/me");
    expect(after.status).toBe(401);
  });
});
