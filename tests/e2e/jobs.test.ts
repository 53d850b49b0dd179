import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { DashboardPage } from "./pages/dashboard-page";
import { JobDetailPage, JobsPage, NewJobPage } from "./pages/jobs-page";
import { screenshot } from "./setup/browser";
import { openSignedIn } from "./setup/signed-in";

const { baseUrl, ownerEmail, ownerPassword } = inject("e2e");

// One signed-in session creates a job from the dashboard, finds it on the board, and cancels and
// retries it from its page; the steps share the job.
describe("agent jobs (browser)", () => {
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let jobId: string;
  const topic = `Heat pumps in old houses ${Date.now()}`;

  beforeAll(async () => {
    ({ browser, context, page } = await openSignedIn(baseUrl, { email: ownerEmail, password: ownerPassword }));
  });
  afterAll(async () => {
    await context?.close();
    await browser?.close();
  });

  it("shows the server's field issues for an invalid input and creates nothing", async () => {
    const dashboard = new DashboardPage(page, baseUrl);
    await dashboard.navigate("Jobs");
    await dashboard.heading("Jobs").waitFor();
    await page.getByRole("link", { name: "New job" }).first().click();
    await dashboard.heading("New job").waitFor();

    const form = new NewJobPage(page);
    await form.fill({ kind: "research.brief", input: { topic, questions: [] } });
    await form.submit();
    await form.alert().waitFor();
    expect(await form.alert().textContent()).toMatch(/questions/);
    expect(new URL(page.url()).pathname).toBe("/jobs/new");
    // Refused before a run was recorded: nothing failed on the record either.
    // (Other tests create jobs through the pipeline too, so only failed runs are looked at.)
    const runs = await page.request.get(`${baseUrl}/api/runs?pipeline=agent-jobs.create&status=failed`);
    expect((await runs.json()).runs).toEqual([]);
  });

  it("creates a research brief from the dashboard and shows it with its instructions", async () => {
    const dashboard = new DashboardPage(page, baseUrl);
    const form = new NewJobPage(page);
    await form.fill({ kind: "research.brief", input: { topic, questions: ["Do they work below -10 °C?"] }, priority: 5 });
    await form.submit();
    await page.waitForURL(/\/jobs\/job_[0-9a-z]+$/);
    const detail = new JobDetailPage(page);
    jobId = detail.jobId();
    await dashboard.heading("Research brief").waitFor();
    expect(await detail.status().textContent()).toBe("queued");
    // The topic and questions may come from outside, so they sit between this job's random markers.
    const instructions = (await detail.instructions().textContent()) ?? "";
    const token = /<<untrusted-([0-9a-f]{24})>>/.exec(instructions)?.[1];
    expect(instructions).toContain(`<<untrusted-${token}>>\n${topic}\n<<end-untrusted-${token}>>`);
    expect(instructions).toContain(`<<untrusted-${token}>>\n1. Do they work below -10 °C?\n<<end-untrusted-${token}>>`);
    expect(JSON.parse((await detail.input().textContent()) ?? "")).toEqual({ topic, questions: ["Do they work below -10 °C?"] });
    expect(await detail.detail("Priority").textContent()).toBe("5");
    expect(await detail.detail("Created by").textContent()).toMatch(/^run_/);
    await screenshot(page, "job-detail");
  });

  it("lists the job as queued on the board, under its status tab", async () => {
    const dashboard = new DashboardPage(page, baseUrl);
    const jobs = new JobsPage(page, baseUrl);
    await dashboard.navigate("Jobs");
    await dashboard.heading("Jobs").waitFor();
    await jobs.row(jobId).waitFor();
    expect(await jobs.status(jobId).textContent()).toBe("queued");
    expect(await jobs.row(jobId).textContent()).toContain("research.brief");
    expect(Number(await jobs.tab("queued").locator("span").last().textContent())).toBeGreaterThanOrEqual(1);
    // A queued job keeps the board live.
    await page.getByTestId("live-indicator").waitFor();
    await screenshot(page, "jobs");

    // The cancelled tab does not hold it; the filter is kept in the URL.
    await jobs.tab("cancelled").click();
    await expect.poll(() => jobs.row(jobId).count()).toBe(0);
    expect(new URL(page.url()).searchParams.get("status")).toBe("cancelled");
    await jobs.tab("all").click();
    await jobs.openJob(jobId);
  });

  it("cancels the job and queues it again with retry, recording both", async () => {
    const detail = new JobDetailPage(page);
    await detail.status().waitFor();
    await detail.cancel();
    await expect.poll(() => detail.status().textContent()).toBe("cancelled");
    await page.getByRole("button", { name: "Retry job" }).waitFor();
    expect(await page.getByRole("button", { name: "Cancel job" }).count()).toBe(0);

    await detail.retry();
    await expect.poll(() => detail.status().textContent()).toBe("queued");
    await expect.poll(async () => (await detail.events().first().getAttribute("data-event-type")) ?? "").toBe("retried");
    const types = await detail.events().evaluateAll((rows) => rows.map((r) => r.getAttribute("data-event-type")));
    expect(types).toEqual(["retried", "cancelled", "created"]);
    expect(await detail.events().nth(1).textContent()).toContain(ownerEmail);
    await screenshot(page, "job-detail-retried");
  });
});
