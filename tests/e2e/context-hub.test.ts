import path from "node:path";
import { readFile } from "node:fs/promises";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { seedContextHub } from "@/lib/context-hub/seed-hub";
import { DashboardPage } from "./pages/dashboard-page";
import { ContextPage } from "./pages/context-page";
import { RunDetailPage } from "./pages/runs-page";
import { screenshot } from "./setup/browser";
import { openSignedIn } from "./setup/signed-in";

const { baseUrl, ownerEmail, ownerPassword, dataDir } = inject("e2e");
const hub = path.join(dataDir, "context-hub");

// The context hub in the browser: browse the folders with their abstracts, open a file, edit it
// (the save is a recorded context.write run by the owner), and search.
describe("context hub (browser)", () => {
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;

  beforeAll(async () => {
    await seedContextHub(hub);
    ({ browser, context, page } = await openSignedIn(baseUrl, { email: ownerEmail, password: ownerPassword }));
  });
  afterAll(async () => {
    await context?.close();
    await browser?.close();
  });

  it("browses the tree with each folder's abstract and opens a folder's overview", async () => {
    const dashboard = new DashboardPage(page, baseUrl);
    const hubPage = new ContextPage(page, baseUrl);
    await dashboard.navigate("Context");
    await dashboard.heading("Context hub").waitFor();
    const clients = hubPage.treeFolder("areas/clients");
    await clients.waitFor();
    const abstract = (await readFile(path.join(hub, "areas", "clients", "abstract.md"), "utf8")).split("\n")[0]!.replace(/^#+\s*/, "").trim();
    expect(await clients.textContent()).toContain(abstract.slice(0, 30));
    await screenshot(page, "context-hub");

    await clients.click();
    await page.waitForURL(/\/context\/areas\/clients$/);
    await hubPage.overview().waitFor();
    const overview = await readFile(path.join(hub, "areas", "clients", "overview.md"), "utf8");
    const firstHeading = overview.match(/^#\s+(.+)$/m)?.[1];
    if (firstHeading) expect(await hubPage.overview().getByRole("heading", { name: firstHeading }).isVisible()).toBe(true);
    await hubPage.entry("areas/clients/northwind-freight.md").waitFor();
  });

  it("opens a file with its markdown rendered and front matter shown", async () => {
    const hubPage = new ContextPage(page, baseUrl);
    await hubPage.entry("areas/clients/northwind-freight.md").click();
    await page.waitForURL(/northwind-freight\.md$/);
    await hubPage.content().waitFor();
    expect(await hubPage.content().getByTestId("front-matter").textContent()).toContain("Northwind Freight");
    // Rendered, not raw: the heading is a heading, no "#" left in the text.
    expect(await hubPage.content().locator("h1, h2").count()).toBeGreaterThan(0);
    expect(await hubPage.content().textContent()).not.toMatch(/^#\s/m);
    await screenshot(page, "context-file");
  });

  it("edits soul.md, and the save is a context.write run by the owner, listed as a change", async () => {
    const hubPage = new ContextPage(page, baseUrl);
    await hubPage.soulLink().click();
    await page.waitForURL(/\/context\/soul\.md$/);
    await hubPage.edit();
    const line = `Prefers short answers (e2e ${Date.now()}).`;
    const before = await hubPage.editor().inputValue();
    await hubPage.editor().fill(`${before.trimEnd()}\n\n${line}\n`);
    await screenshot(page, "context-edit");
    await hubPage.save();

    await hubPage.savedRun().waitFor();
    const runId = (await hubPage.savedRun().textContent())!.trim();
    expect(runId).toMatch(/^run_[0-9a-z]{26}$/);
    expect(await hubPage.content().textContent()).toContain(line);
    expect(await readFile(path.join(hub, "soul.md"), "utf8")).toContain(line);
    const change = hubPage.changes().locator(`li[data-run-id="${runId}"]`);
    expect(await change.textContent()).toMatch(new RegExp(`user\\s*${ownerEmail.replace(".", "\\.")}\\s*edited`));

    await hubPage.savedRun().click();
    await page.waitForURL(new RegExp(`/runs/${runId}$`));
    const detail = new RunDetailPage(page);
    expect(await detail.status().textContent()).toBe("succeeded");
    expect(await detail.actor().textContent()).toBe(ownerEmail);
    expect(await detail.detail("Trigger").textContent()).toBe("dashboard");
    expect(JSON.parse((await detail.input().textContent()) ?? "{}")).toMatchObject({ path: "soul.md" });
  });

  it("refuses a save over a newer edit and records it as a failed run", async () => {
    const hubPage = new ContextPage(page, baseUrl);
    await hubPage.goto("knowledge/overview.md?edit=1");
    await hubPage.editor().fill("# Knowledge\n\nMy edit.\n");
    // Someone else saves first (straight to disk, as an editor outside the dashboard would).
    const { writeFile } = await import("node:fs/promises");
    await writeFile(path.join(hub, "knowledge", "overview.md"), "# Knowledge\n\nTheir edit.\n");
    await hubPage.save();
    const alert = page.getByRole("alert").filter({ hasText: "changed since it was opened" });
    await alert.waitFor();
    expect(await alert.getByRole("link", { name: "View the failed run" }).getAttribute("href")).toMatch(/^\/runs\/run_/);
    expect(await readFile(path.join(hub, "knowledge", "overview.md"), "utf8")).toContain("Their edit.");
  });

  it("searches the hub and opens a result", async () => {
    const hubPage = new ContextPage(page, baseUrl);
    await hubPage.goto();
    await hubPage.search("priya");
    expect(await hubPage.results().count()).toBeGreaterThan(0);
    expect(await hubPage.results().first().textContent()).toMatch(/northwind-freight\.md:\d+/);
    expect(new URL(page.url()).searchParams.get("q")).toBe("priya");
    await screenshot(page, "context-search");
    await hubPage.results().first().getByRole("link").click();
    await page.waitForURL(/northwind-freight\.md$/);
    await hubPage.content().waitFor();
  });

  it("shows the 404 page for a file that is not there and for a path out of the hub", async () => {
    for (const address of ["/context/areas/nope.md", "/context/..%2F..%2Fetc%2Fpasswd"]) {
      const response = await page.goto(`${baseUrl}${address}`);
      expect(response?.status(), address).toBe(404);
      await page.getByRole("heading", { name: "Nothing at this address in the context hub" }).waitFor();
    }
  });
});
