import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { seedContextHub } from "@/lib/context-hub/seed-hub";
import path from "node:path";
import { screenshot } from "./setup/browser";
import { openSignedIn } from "./setup/signed-in";

const { baseUrl, ownerEmail, ownerPassword, dataDir } = inject("e2e");

// Every page of the dashboard at desktop (1280) and phone (390) width: it answers 200 with its
// heading, and the screenshots land in test-results/screenshots for a person to look at. Pages that
// were made to reflow on phones must not scroll sideways there.

const PAGES: { path: string; name: string; reflows?: boolean }[] = [
  { path: "/", name: "overview" },
  { path: "/chat", name: "chat" },
  { path: "/triage", name: "triage" },
  { path: "/triage/settings", name: "triage-settings" },
  { path: "/context", name: "context", reflows: true },
  { path: "/context/soul.md", name: "context-soul", reflows: true },
  { path: "/context/areas/clients", name: "context-folder", reflows: true },
  { path: "/areas", name: "areas" },
  { path: "/areas/general", name: "area-general" },
  { path: "/pipelines", name: "pipelines", reflows: true },
  { path: "/pipelines/system.echo", name: "pipeline-echo" },
  { path: "/runs", name: "runs", reflows: true },
  { path: "/jobs", name: "jobs" },
  { path: "/jobs/new", name: "job-new" },
  { path: "/schedules", name: "schedules" },
  { path: "/schedules/new", name: "schedule-new" },
  { path: "/events", name: "events" },
  { path: "/events/sources", name: "event-sources" },
  { path: "/agents", name: "agents" },
  { path: "/settings", name: "settings", reflows: true },
];

describe.each([
  { width: 1280, height: 900, label: "desktop" },
  { width: 390, height: 844, label: "phone" },
])("every page at $label width", ({ width, height, label }) => {
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;

  beforeAll(async () => {
    await seedContextHub(path.join(dataDir, "context-hub"));
    ({ browser, context, page } = await openSignedIn(baseUrl, { email: ownerEmail, password: ownerPassword }, { viewport: { width, height } }));
  });
  afterAll(async () => {
    await context?.close();
    await browser?.close();
  });

  it.each(PAGES)("$path", async ({ path: address, name, reflows }) => {
    const response = await page.goto(`${baseUrl}${address}`);
    expect(response?.status()).toBe(200);
    await page.getByRole("heading", { level: 1 }).first().waitFor();
    await page.waitForLoadState("networkidle").catch(() => undefined);
    await screenshot(page, `page-${name}-${label}`);
    if (reflows && label === "phone") {
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      expect(overflow, `${address} scrolls sideways by ${overflow}px at ${width}px`).toBeLessThanOrEqual(0);
      // A table's own scroll box marked data-reflows must fit as well (it would not widen the page).
      const boxes = await page.locator("[data-reflows]").evaluateAll((els) => els.map((el) => el.scrollWidth - el.clientWidth));
      expect(boxes.filter((o) => o > 0), `a table on ${address} scrolls sideways at ${width}px`).toEqual([]);
    }
  });
});
