import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import type { Browser, Page } from "playwright-core";
import { DashboardPage } from "./pages/dashboard-page";
import { SignInPage } from "./pages/sign-in-page";
import { launchBrowser, screenshot } from "./setup/browser";
import { openSignedIn, type SignedIn } from "./setup/signed-in";

const { baseUrl, ownerEmail, ownerPassword } = inject("e2e");

// Roles as people meet them: the owner adds a viewer and a member from Settings → People (each
// password shown once), and each of them signs in to a dashboard cut to what their role allows.
describe("roles (browser)", () => {
  let owner: SignedIn;
  let browser: Browser;
  const people = { viewer: { email: `viewer.${Date.now()}@e2e.example`, password: "" }, member: { email: `member.${Date.now()}@e2e.example`, password: "" } };

  beforeAll(async () => {
    owner = await openSignedIn(baseUrl, { email: ownerEmail, password: ownerPassword });
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await owner?.context.close();
    await owner?.browser.close();
    await browser?.close();
  });

  async function signInAs(who: keyof typeof people): Promise<Page> {
    const context = await browser.newContext({ viewport: { width: 1366, height: 900 } });
    const page = await context.newPage();
    const signIn = new SignInPage(page, baseUrl);
    await signIn.goto();
    await signIn.signIn(people[who].email, people[who].password);
    return page;
  }

  const navLabels = async (page: Page) => (await page.getByRole("navigation", { name: "Main" }).getByRole("link").allTextContents()).map((t) => t.trim());

  it("lets the owner add a viewer and a member from Settings → People, showing each password once", async () => {
    const { page } = owner;
    const dashboard = new DashboardPage(page, baseUrl);
    await dashboard.navigate("Settings");
    await dashboard.heading("Settings").waitFor();
    for (const role of ["viewer", "member"] as const) {
      await page.getByLabel("Email", { exact: true }).fill(people[role].email);
      await page.getByLabel("Role", { exact: true }).selectOption(role);
      await page.getByRole("button", { name: "Add person" }).click();
      const shown = page.getByRole("status").filter({ hasText: `Added ${people[role].email}` });
      await shown.waitFor();
      people[role].password = (await shown.locator("code").textContent())!.trim();
      expect(people[role].password.length).toBeGreaterThanOrEqual(16);
      await expect.poll(() => page.getByRole("combobox", { name: `Role of ${people[role].email}` }).inputValue()).toBe(role);
      await shown.getByRole("button", { name: "Done" }).click();
    }
    await screenshot(page, "settings-people");
    await page.setViewportSize({ width: 390, height: 844 });
    await screenshot(page, "settings-people-phone");
    await page.setViewportSize({ width: 1366, height: 900 });
  });

  it("gives a viewer the overview and the records, read-only", async () => {
    const page = await signInAs("viewer");
    const dashboard = new DashboardPage(page, baseUrl);
    await dashboard.heading("Overview").waitFor();
    const labels = await navLabels(page);
    expect(labels).toEqual(expect.arrayContaining(["Overview", "Runs", "Jobs", "Agents", "Settings"]));
    expect(labels).not.toContain("Chat");
    expect(labels).not.toContain("Areas");
    // No mailbox of their own, and nobody else's triage to read.
    expect(labels).not.toContain("Triage");

    await dashboard.navigate("Agents");
    await dashboard.heading("Agents").waitFor();
    expect(await page.getByRole("button", { name: "Register agent" }).count()).toBe(0);
    await dashboard.navigate("Jobs");
    await dashboard.heading("Jobs").waitFor();
    expect(await page.getByRole("link", { name: "New job" }).count()).toBe(0);
    await screenshot(page, "viewer-jobs");

    // The server refuses what the page does not offer, with the permission named.
    const refused = await page.evaluate(async () => {
      const res = await fetch("/api/agents", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ name: "sneaky" }) });
      return { status: res.status, body: await res.json() };
    });
    expect(refused.status).toBe(403);
    expect(refused.body.error.message).toContain("settings.manage");
    // A page the role cannot open sends it home.
    await page.goto(`${baseUrl}/areas`);
    await dashboard.heading("Overview").waitFor();
    await page.context().close();
  });

  it("gives a member the chat, their own mailbox's triage and their own settings, nothing of the installation", async () => {
    const page = await signInAs("member");
    await page.waitForURL(/\/chat/);
    expect(await navLabels(page)).toEqual(["Chat", "Triage", "Settings"]);
    await screenshot(page, "member-chat");
    await page.setViewportSize({ width: 390, height: 844 });
    await page.getByRole("button", { name: "Open navigation" }).click();
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Settings" }).waitFor();
    await screenshot(page, "member-chat-phone");
    for (const path of ["/", "/runs", "/agents", "/settings"]) {
      await page.goto(`${baseUrl}${path}`);
      if (path === "/settings") {
        await new DashboardPage(page, baseUrl).heading("Settings").waitFor();
        expect(await page.getByRole("heading", { name: "People" }).count()).toBe(0);
      } else {
        await page.waitForURL(/\/chat/);
      }
    }
    const runs = await page.evaluate(async () => (await fetch("/api/runs")).status);
    expect(runs).toBe(403);
    // Triage opens on their own (empty) mailbox: the owner's mail is not theirs to see.
    await page.goto(`${baseUrl}/triage`);
    await page.getByTestId("no-mailboxes").waitFor();
    await screenshot(page, "member-triage-phone");
    await page.setViewportSize({ width: 1280, height: 800 });
    await screenshot(page, "member-triage");
    const messages = await page.evaluate(async () => (await (await fetch("/api/triage/messages")).json()).messages.length);
    expect(messages).toBe(0);
    await page.context().close();
  });
});
