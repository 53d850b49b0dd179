import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import pg from "pg";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { DashboardPage } from "./pages/dashboard-page";
import { SchedulesPage } from "./pages/schedules-page";
import { screenshot } from "./setup/browser";
import { openSignedIn } from "./setup/signed-in";
import { signInForCookie } from "./setup/session";

// Schedules on the embedded default: the test server runs with no Inngest configured, so the
// every-minute schedule created in the form fires through the in-process driver.

const { baseUrl, ownerEmail, ownerPassword, databaseUrl } = inject("e2e");
const NAME = `every-minute-e2e-${Date.now().toString(36)}`;

async function sql(text: string, values: unknown[] = []): Promise<void> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query(text, values);
  } finally {
    await client.end();
  }
}

describe("schedules (browser, in-process driver)", () => {
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let cookie: string;
  let scheduleId: string | undefined;

  const api = async (path: string, init: { method?: string; body?: unknown } = {}) => {
    const res = await fetch(`${baseUrl}${path}`, {
      method: init.method ?? "GET",
      headers: { cookie, "content-type": "application/json" },
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
    });
    return { status: res.status, body: await res.json() };
  };

  beforeAll(async () => {
    cookie = await signInForCookie(baseUrl, ownerEmail, ownerPassword);
    ({ browser, context, page } = await openSignedIn(baseUrl, { email: ownerEmail, password: ownerPassword }, { timezoneId: "Europe/Amsterdam" }));
  });

  afterAll(async () => {
    await context?.close();
    await browser?.close();
    // An every-minute schedule would keep adding runs for the rest of the suite.
    if (scheduleId) {
      await sql("DELETE FROM schedules WHERE id = $1", [scheduleId]);
      await sql("DELETE FROM pipeline_runs WHERE actor_type = 'schedule' AND actor_id = $1", [scheduleId]);
    }
  });

  it("answers the API with field errors, previews, and 404s", async () => {
    const invalid = await api("/api/schedules", { method: "POST", body: { name: "bad", cron: "61 * * * *", timezone: "Nowhere/Land", pipeline: "system.echo", input: { message: 42 } } });
    expect(invalid.status).toBe(400);
    expect(invalid.body.error.code).toBe("validation_failed");
    expect(invalid.body.error.details.issues.map((i: { path: string }) => i.path)).toEqual(["cron", "timezone", "input.message"]);

    const preview = await api("/api/schedules/preview", { method: "POST", body: { cron: "30 2 * * *", timezone: "America/New_York" } });
    expect(preview.status).toBe(200);
    expect(preview.body.fireTimes).toHaveLength(5);
    expect(preview.body.fireTimes[0]).toEqual({ at: expect.any(String), local: expect.stringMatching(/02:30|03:00/), offset: expect.stringMatching(/^-0[45]:00$/) });

    expect((await api("/api/schedules/no-such-schedule")).status).toBe(404);
    expect((await fetch(`${baseUrl}/api/schedules`)).status).toBe(401);
  });

  it("creates an every-minute schedule in the form, with a live preview of five fire times", async () => {
    const dashboard = new DashboardPage(page, baseUrl);
    const schedules = new SchedulesPage(page, baseUrl);
    await dashboard.navigate("Schedules");
    await dashboard.heading("Schedules").waitFor();
    await page.getByRole("link", { name: "New schedule" }).first().click();
    await dashboard.heading("New schedule").waitFor();

    // The input starts from the pipeline's defaults.
    expect(JSON.parse(await schedules.field("input").inputValue())).toEqual({ message: "ping" });

    // A bad cron is flagged at its field as you type.
    await schedules.field("cron").fill("61 * * * *");
    await schedules.fieldError("cron").waitFor();
    expect(await schedules.fieldError("cron").textContent()).toMatch(/minute/i);

    await schedules.field("name").fill(NAME);
    await schedules.preset("Every minute").click();
    await schedules.field("timezone").fill("Europe/Amsterdam");
    await schedules.field("input").fill('{ "message": "from the e2e schedule" }');
    await expect.poll(() => schedules.fireTimes().count(), { timeout: 10_000 }).toBe(5);
    const times = await schedules.fireTimes().locator("time").evaluateAll((els) => els.map((e) => e.getAttribute("datetime")!));
    const gaps = times.slice(1).map((t, i) => Date.parse(t) - Date.parse(times[i]!));
    expect(gaps).toEqual([60_000, 60_000, 60_000, 60_000]);
    expect(await schedules.fireTimes().first().textContent()).toMatch(/CES?T/);
    expect(await schedules.fieldError("cron").count()).toBe(0);
    await screenshot(page, "schedule-form");

    await schedules.save();
    await page.waitForURL(/\/schedules\/sch_[0-9a-z]+$/);
    scheduleId = page.url().split("/").pop();
    await dashboard.heading(NAME).waitFor();
  });

  it("fires within about a minute on the in-process driver, and shows the run in its history", async () => {
    const schedules = new SchedulesPage(page, baseUrl);
    // The page refreshes its history by itself; no reload.
    await schedules.historyRows("succeeded").first().waitFor({ timeout: 80_000 });
    const row = schedules.historyRows("succeeded").first();
    expect(await row.textContent()).toContain("on time");
    const runLink = await row.locator('a[href^="/runs/"]').getAttribute("href");
    const run = await api(`/api/runs/${runLink!.split("/").pop()}`);
    expect(run.body.run).toMatchObject({ status: "succeeded", trigger: "schedule", actor: { type: "schedule", label: NAME }, output: { message: "from the e2e schedule" } });

    // Run now adds a manual slot that runs at once.
    await schedules.runNow();
    await page.getByRole("status").filter({ hasText: "Started" }).waitFor();
    await expect.poll(() => schedules.historyRows().filter({ hasText: "run now" }).getAttribute("data-status"), { timeout: 15_000 }).toBe("succeeded");
    await screenshot(page, "schedule-detail");
    // The first slot is the next whole minute (up to 60 s away), then up to 80 s to show it.
  }, 120_000);

  it("lists the schedule with its next run and last run, and turns it off from the list", async () => {
    const schedules = new SchedulesPage(page, baseUrl);
    await schedules.goto();
    const row = schedules.row(NAME);
    await row.waitFor();
    expect(await row.getByTestId("next-run").textContent()).toMatch(/CES?T/);
    expect(await row.textContent()).toContain("Every minute");
    expect(await row.textContent()).toContain("succeeded");
    await screenshot(page, "schedules");

    const toggle = row.getByRole("switch");
    expect(await toggle.getAttribute("aria-checked")).toBe("true");
    await toggle.click();
    await expect.poll(async () => (await api(`/api/schedules/${scheduleId}`)).body.schedule.enabled).toBe(false);
    await expect.poll(() => row.getByTestId("next-run").textContent()).toContain("paused");
  });
});
