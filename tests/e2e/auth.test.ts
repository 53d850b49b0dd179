import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import type { Browser, BrowserContext } from "playwright-core";
import pg from "pg";
import { DashboardPage } from "./pages/dashboard-page";
import { SignInPage } from "./pages/sign-in-page";
import { launchBrowser, screenshot } from "./setup/browser";

const { baseUrl, ownerEmail, ownerPassword, databaseUrl } = inject("e2e");

async function countAccounts(): Promise<number> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ n: string }>("SELECT count(*) AS n FROM users");
    return Number(rows[0]!.n);
  } finally {
    await client.end();
  }
}

describe("signing in (browser)", () => {
  let browser: Browser;
  let context: BrowserContext;

  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it("sends a visitor without a session to sign-in, keeping where they were going", async () => {
    context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${baseUrl}/settings`);
    await page.waitForURL(/\/sign-in\?callbackUrl=%2Fsettings$/);
    await screenshot(page, "sign-in");
    await context.close();
  });

  it("refuses wrong credentials with a clear message and stays on sign-in", async () => {
    context = await browser.newContext();
    const page = await context.newPage();
    const signIn = new SignInPage(page, baseUrl);
    await signIn.goto();
    await signIn.signIn(ownerEmail, "not-the-password");
    await expect.poll(() => signIn.error().textContent()).toBe("The email or password is not correct.");
    expect(new URL(page.url()).pathname).toBe("/sign-in");
    await screenshot(page, "sign-in-wrong-password");
    await context.close();
  });

  it("signs the owner in to an overview with real figures, then signs out", async () => {
    context = await browser.newContext({ viewport: { width: 1366, height: 900 } });
    const page = await context.newPage();
    const signIn = new SignInPage(page, baseUrl);
    const dashboard = new DashboardPage(page, baseUrl);
    await signIn.goto();
    await signIn.signIn(ownerEmail.toUpperCase(), ownerPassword);

    await dashboard.heading("Overview").waitFor();
    // Other files (roles.test.ts) add accounts to the shared database: the figure must be the real count.
    expect(await dashboard.stat("Accounts").textContent()).toBe(String(await countAccounts()));
    // The failed attempt from the previous test and this sign-in are both on the record.
    expect(Number(await dashboard.stat("Failed sign-ins (24 h)").textContent())).toBeGreaterThanOrEqual(1);
    expect(Number(await dashboard.stat("Sign-ins (24 h)").textContent())).toBeGreaterThanOrEqual(1);
    await screenshot(page, "overview");

    await dashboard.navigate("Settings");
    await dashboard.heading("Settings").waitFor();
    await expect.poll(() => page.getByText(ownerEmail, { exact: true }).first().isVisible()).toBe(true);
    await screenshot(page, "settings");

    await dashboard.signOut();
    await page.waitForURL(/\/sign-in/);
    await page.goto(`${baseUrl}/`);
    await page.waitForURL(/\/sign-in/);
    await context.close();
  });
});
