import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import pg from "pg";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { newId } from "@/lib/ids";
import { DashboardPage } from "./pages/dashboard-page";
import { PipelinesPage } from "./pages/pipelines-page";
import { RunDetailPage, RunsPage } from "./pages/runs-page";
import { screenshot } from "./setup/browser";
import { openSignedIn } from "./setup/signed-in";

const { baseUrl, ownerEmail, ownerPassword, databaseUrl } = inject("e2e");

/** Runs SQL against the app's database: the only way to hold a run open, as every pipeline finishes in milliseconds. */
async function sql<T extends pg.QueryResultRow = pg.QueryResultRow>(text: string, values: unknown[] = []): Promise<T[]> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    return (await client.query<T>(text, values)).rows;
  } finally {
    await client.end();
  }
}

async function insertQueuedRun(): Promise<string> {
  const id = newId("run");
  await sql(
    `INSERT INTO pipeline_runs (id, pipeline, status, trigger, input, actor_type, actor_label, timeout_ms)
     VALUES ($1, 'system.echo', 'queued', 'schedule', '{"message":"later"}', 'system', 'e2e scheduler', 5000)`,
    [id],
  );
  return id;
}

/**
 * The app dies while a run is in progress: its record is left as a crash leaves it, running and
 * owned by an instance that no longer heartbeats. (Every pipeline here finishes in milliseconds, so
 * the run is started for real and then put back the way it was mid-run.)
 */
async function crashDuring(runId: string): Promise<void> {
  await sql(
    `UPDATE pipeline_runs SET status = 'running', output = NULL, finished_at = NULL, duration_ms = NULL, instance_id = 'ins_crashed_e2e' WHERE id = $1`,
    [runId],
  );
}

/** The app's recovery, from this process against the app's database: closes the runs of instances that stopped heartbeating. */
async function recoverInterruptedRuns(): Promise<string[]> {
  process.env.DATABASE_URL = databaseUrl;
  const { resetConfigForTests } = await import("@/lib/config");
  resetConfigForTests();
  const { failInterruptedRuns } = await import("@/lib/pipelines/recover-runs");
  const { disconnectDb } = await import("@/lib/db/client");
  try {
    return await failInterruptedRuns();
  } finally {
    await disconnectDb();
  }
}

// One signed-in session walks through running a pipeline from the dashboard and finding the
// run again; the steps share the run they create.
describe("pipelines and runs (browser)", () => {
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let runId: string;
  const message = `hello from the browser test ${Date.now()}`;

  /** The newest run of system.echo, read through the API with the page's session. */
  async function newestEchoRunId(): Promise<string | undefined> {
    const res = await page.request.get(`${baseUrl}/api/runs?pipeline=system.echo&limit=1`);
    expect(res.status()).toBe(200);
    return (await res.json()).runs[0]?.id;
  }

  beforeAll(async () => {
    ({ browser, context, page } = await openSignedIn(baseUrl, { email: ownerEmail, password: ownerPassword }));
  });
  afterAll(async () => {
    await context?.close();
    await browser?.close();
  });

  it("lists the pipelines and runs system.echo from its generated form", async () => {
    const dashboard = new DashboardPage(page, baseUrl);
    const pipelines = new PipelinesPage(page, baseUrl);
    await dashboard.navigate("Pipelines");
    await dashboard.heading("Pipelines").waitFor();
    const echo = pipelines.card("system.echo");
    expect(await echo.getByRole("heading", { name: "Echo" }).isVisible()).toBe(true);
    expect(await echo.textContent()).toContain("no side effects");
    await screenshot(page, "pipelines");

    await pipelines.open("system.echo");
    await dashboard.heading("Echo").waitFor();
    // The form starts at the schema's default.
    expect(await pipelines.field("message").inputValue()).toBe("ping");
    await pipelines.fill("message", message);
    await pipelines.run();

    await pipelines.output().waitFor();
    const output = JSON.parse((await pipelines.output().textContent()) ?? "");
    expect(output).toMatchObject({ message, actor: ownerEmail, trigger: "dashboard" });
    expect(await pipelines.result().textContent()).toContain("succeeded");
    runId = await pipelines.resultRunId();
    expect(await newestEchoRunId()).toBe(runId);
    // The recent runs on the page are refreshed with the new run.
    await page.locator(`tr[data-run-id="${runId}"]`).waitFor();
    await screenshot(page, "pipeline-run");
  });

  it("shows the server's validation errors at the field and records no run", async () => {
    const pipelines = new PipelinesPage(page, baseUrl);
    await pipelines.fill("message", "x".repeat(2001));
    await pipelines.run();
    await pipelines.fieldError("message").waitFor();
    expect(await pipelines.fieldError("message").textContent()).toMatch(/2000/);
    expect(await pipelines.result().count()).toBe(0);
    await screenshot(page, "pipeline-run-invalid");

    // The raw JSON editor reaches the same validation with a value of the wrong type.
    await pipelines.useJsonEditor('{ "message": 42 }');
    await pipelines.run();
    await expect.poll(() => pipelines.formAlert().textContent()).toMatch(/message.*must be text \(got a number\)/);

    expect(await newestEchoRunId()).toBe(runId);
  });

  it("finds the run on the runs page, filters it away and back, and opens it", async () => {
    const dashboard = new DashboardPage(page, baseUrl);
    const runs = new RunsPage(page, baseUrl);
    await dashboard.navigate("Runs");
    await dashboard.heading("Runs").waitFor();
    await runs.row(runId).waitFor();
    expect(await runs.cell(runId, "Pipeline").textContent()).toBe("system.echo");
    expect(await runs.cell(runId, "Status").textContent()).toBe("succeeded");
    expect(await runs.cell(runId, "Trigger").textContent()).toBe("dashboard");
    expect(await runs.cell(runId, "Actor").textContent()).toContain(ownerEmail);
    await screenshot(page, "runs");

    // Filters live in the URL; a trigger it does not have hides the run.
    await runs.toggleFilter("Trigger", "schedule");
    await runs.emptyState().waitFor();
    expect(new URL(page.url()).searchParams.get("trigger")).toBe("schedule");
    await page.reload();
    await runs.emptyState().waitFor();
    expect(await runs.row(runId).count()).toBe(0);
    await runs.clearFilters();
    await runs.row(runId).waitFor();
    expect(new URL(page.url()).search).toBe("");

    await runs.openRun(runId);
    const detail = new RunDetailPage(page);
    await dashboard.heading("Echo").waitFor();
    expect(await detail.status().textContent()).toBe("succeeded");
    expect(await detail.actor().textContent()).toBe(ownerEmail);
    expect(await detail.detail("Trigger").textContent()).toBe("dashboard");
    expect(JSON.parse((await detail.input().textContent()) ?? "")).toEqual({ message });
    expect(JSON.parse((await detail.output().textContent()) ?? "")).toMatchObject({ message, actor: ownerEmail });
    await screenshot(page, "run-detail");
  });

  it("follows open runs live and cancels a queued one from its page", async () => {
    const runs = new RunsPage(page, baseUrl);
    const finishing = await insertQueuedRun();
    const cancelling = await insertQueuedRun();
    await runs.goto();
    expect(await runs.cell(finishing, "Status").textContent()).toBe("queued");
    await page.getByTestId("live-indicator").waitFor();

    // Closed behind the page's back: the table picks it up without a reload.
    await sql(
      `UPDATE pipeline_runs SET status = 'succeeded', output = '{}', started_at = now(), finished_at = now(), duration_ms = 3 WHERE id = $1`,
      [finishing],
    );
    await expect.poll(() => runs.cell(finishing, "Status").textContent(), { timeout: 10_000 }).toBe("succeeded");

    await runs.openRun(cancelling);
    const detail = new RunDetailPage(page);
    expect(await detail.status().textContent()).toBe("queued");
    await page.getByRole("button", { name: "Cancel run" }).click();
    await expect.poll(() => detail.status().textContent()).toBe("cancelled");
    expect(await page.getByTestId("run-error").textContent()).toContain(`Cancelled by ${ownerEmail}`);
    expect(await page.getByRole("button", { name: "Cancel run" }).count()).toBe(0);
  });

  it("counts the run on the overview", async () => {
    const dashboard = new DashboardPage(page, baseUrl);
    await dashboard.navigate("Overview");
    await dashboard.heading("Overview").waitFor();
    expect(Number(await dashboard.stat("Runs (24 h)").textContent())).toBeGreaterThanOrEqual(1);
    await page.getByTestId("runs-per-day-chart").locator(".recharts-bar-rectangle").first().waitFor();
    expect(await page.getByTestId("recent-runs").locator(`a[href="/runs/${runId}"]`).count()).toBe(1);
    await screenshot(page, "overview-with-runs");
  });

  it("lists the attempts of a run a crash interrupted and of its retry with the same key, each linking to its run", async () => {
    const idempotencyKey = `e2e-attempts-${Date.now()}`;
    const start = (text: string) =>
      page.request.post(`${baseUrl}/api/pipelines/system.echo/runs`, { data: { input: { message: text }, idempotencyKey } });
    const first = (await (await start("first try")).json()).run;
    await crashDuring(first.id);
    // Recovery closes it: this call, or the app's own, which runs after each of its heartbeats and may come first.
    await recoverInterruptedRuns();
    const [closed] = await sql<{ status: string; code: string | null }>(`SELECT status::text AS status, error->>'code' AS code FROM pipeline_runs WHERE id = $1`, [first.id]);
    expect(closed).toEqual({ status: "failed", code: "interrupted" });

    const retried = await start("second try");
    expect(retried.status()).toBe(200);
    const retry = (await retried.json()).run;
    expect(retry).toMatchObject({ status: "succeeded", attempt: 2, workKey: first.workKey });
    expect(retry.id).not.toBe(first.id);

    /** A new width, once the sidebar has finished sliding in or out (a screenshot mid-slide shows it half-way). */
    const resize = async (width: number, height: number) => {
      await page.setViewportSize({ width, height });
      await page.evaluate(() => Promise.all(document.getAnimations().map((a) => a.finished)));
    };
    await resize(1280, 900);
    await page.goto(`${baseUrl}/runs/${retry.id}`);
    const detail = new RunDetailPage(page);
    await new DashboardPage(page, baseUrl).heading("Echo").waitFor();
    expect(await detail.attemptLine().textContent()).toContain("Attempt 2 of 2");
    expect(await detail.attemptLine().getByTitle(first.workKey).textContent()).toBe(first.workKey);
    expect(await detail.attempts().evaluateAll((items) => items.map((li) => li.getAttribute("data-run-id")))).toEqual([first.id, retry.id]);
    const interrupted = detail.attempt(first.id);
    expect(await interrupted.locator("[data-status]").getAttribute("data-status")).toBe("failed");
    expect(await interrupted.textContent()).toContain("interrupted");
    expect(await interrupted.getByRole("link").getAttribute("aria-current")).toBeNull();
    const current = detail.attempt(retry.id);
    expect(await current.locator("[data-status]").getAttribute("data-status")).toBe("succeeded");
    expect(await current.getByRole("link").getAttribute("aria-current")).toBe("page");
    expect(await current.textContent()).toContain("this run");
    await screenshot(page, "run-attempts-desktop");

    const sideways = () => page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    await resize(390, 844);
    expect(await sideways()).toBeLessThanOrEqual(0);
    await screenshot(page, "run-attempts-phone");

    // The interrupted attempt's page: its error, and the same list with itself marked.
    await detail.openAttempt(first.id);
    expect(await detail.status().textContent()).toBe("failed");
    expect(await page.getByTestId("run-error").textContent()).toContain("interrupted");
    expect(await detail.attemptLine().textContent()).toContain("Attempt 1 of 2");
    expect(await detail.attempt(first.id).getByRole("link").getAttribute("aria-current")).toBe("page");
    expect(await detail.detail("Work key").textContent()).toContain(first.workKey);
    expect(await sideways()).toBeLessThanOrEqual(0);
    await screenshot(page, "run-attempts-interrupted-phone");
    await resize(1280, 900);
    await screenshot(page, "run-attempts-interrupted-desktop");
    await resize(1366, 900);
  });

  it("answers unknown pipelines and runs with a not-found page inside the dashboard", async () => {
    // The status stays 200: the shell and the loading skeleton have streamed before the lookup.
    await page.goto(`${baseUrl}/pipelines/no.such-pipeline`);
    await page.getByRole("heading", { name: "There is no such pipeline" }).waitFor();
    expect(await page.getByRole("navigation", { name: "Main" }).isVisible()).toBe(true);
    await page.goto(`${baseUrl}/runs/run_00000000000000000000000000`);
    await page.getByRole("heading", { name: "There is no such run" }).waitFor();
  });
});
