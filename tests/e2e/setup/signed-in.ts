import type { Browser, BrowserContext, BrowserContextOptions, Page } from "playwright-core";
import { DashboardPage } from "../pages/dashboard-page";
import { SignInPage } from "../pages/sign-in-page";
import { launchBrowser } from "./browser";

export type SignedIn = { browser: Browser; context: BrowserContext; page: Page };

/** Headless Chromium with one page signed in through the real sign-in form, on the overview. */
export async function openSignedIn(
  baseUrl: string,
  credentials: { email: string; password: string },
  options: BrowserContextOptions = {},
): Promise<SignedIn> {
  const browser = await launchBrowser();
  const context = await browser.newContext({ viewport: { width: 1366, height: 900 }, ...options });
  const page = await context.newPage();
  const signIn = new SignInPage(page, baseUrl);
  await signIn.goto();
  await signIn.signIn(credentials.email, credentials.password);
  await new DashboardPage(page, baseUrl).heading("Overview").waitFor();
  return { browser, context, page };
}
