import { createHmac, randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { DashboardPage } from "./pages/dashboard-page";
import { EventDetailPage, EventsPage, SourcesPage } from "./pages/events-page";
import { screenshot } from "./setup/browser";
import { openSignedIn } from "./setup/signed-in";
import { signInForCookie } from "./setup/session";

// Webhooks end to end against the production build with the in-process driver: a source and a
// subscription made through the API, deliveries signed exactly as the README shows and sent
// over HTTP, then the events in the dashboard (list, detail, retry) and the sources page.

const { baseUrl, ownerEmail, ownerPassword } = inject("e2e");
let cookie: string;

async function api(path: string, init: { method?: string; body?: unknown } = {}) {
  const res = await fetch(`${baseUrl}${path}`, {
    method: init.method ?? "GET",
    headers: { cookie, "content-type": "application/json" },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
  return { status: res.status, body: await res.json() };
}

/** A sender: HMAC-SHA256 over "<t>.<raw body>", as in the README. */
async function send(source: string, secret: string, payload: unknown, options: { delivery?: string; t?: number } = {}) {
  const body = JSON.stringify(payload);
  const t = options.t ?? Math.floor(Date.now() / 1000);
  const v1 = createHmac("sha256", secret).update(`${t}.${body}`).digest("hex");
  const res = await fetch(`${baseUrl}/api/webhooks/${source}`, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      "x-pa-event": (payload as { type: string }).type,
      "x-pa-delivery": options.delivery ?? randomUUID(),
      "x-pa-signature": `t=${t},v1=${v1}`,
    },
    body,
  });
  return { status: res.status, body: await res.json(), requestId: res.headers.get("x-request-id") };
}

async function waitForStatus(eventId: string, status: string): Promise<Record<string, unknown>> {
  let event: Record<string, unknown> = {};
  await expect
    .poll(
      async () => {
        event = (await api(`/api/webhook-events/${eventId}`)).body.event;
        return event.status;
      },
      { timeout: 15_000, interval: 200 },
    )
    .toBe(status);
  return event;
}

/** A screenshot at phone width of the page loaded at that width (not caught while the sidebar slides away), then back to desktop. */
async function phoneScreenshot(page: Page, name: string): Promise<void> {
  for (const [width, height] of [[390, 844], [1280, 800]] as const) {
    await page.setViewportSize({ width, height });
    await page.reload();
    await page.getByRole("heading", { level: 1 }).first().waitFor();
    if (width === 390) await screenshot(page, name);
  }
}

describe("webhooks (HTTP and browser)", () => {
  let secret: string;
  let processedId: string;
  let deadId: string;
  let brokenSubscription: string;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;

  beforeAll(async () => {
    cookie = await signInForCookie(baseUrl, ownerEmail, ownerPassword);
    ({ browser, context, page } = await openSignedIn(baseUrl, { email: ownerEmail, password: ownerPassword }));
  });
  afterAll(async () => {
    await context?.close();
    await browser?.close();
  });

  it("creates a source and subscriptions through the API; the secret is shown only at creation", async () => {
    const created = await api("/api/webhook-sources", { method: "POST", body: { name: "shop", description: "Orders from the web shop" } });
    expect(created.status).toBe(201);
    secret = created.body.secret;
    expect(secret).toMatch(/^whsec_/);
    expect(created.body.source.endpoint).toBe(`${baseUrl}/api/webhooks/shop`);
    const listed = await api("/api/webhook-sources");
    expect(JSON.stringify(listed.body)).not.toContain(secret);

    const echo = await api("/api/webhook-sources/shop/subscriptions", {
      method: "POST",
      body: { eventType: "order.created", pipeline: "system.echo", inputTemplate: { message: "$.order.note" } },
    });
    expect(echo.status).toBe(201);
    const broken = await api("/api/webhook-sources/shop/subscriptions", {
      method: "POST",
      body: { eventType: "order.refunded", pipeline: "system.echo", inputTemplate: { message: "$.refund.reason" } },
    });
    expect(broken.status).toBe(201);
    brokenSubscription = broken.body.subscription.id;
  });

  it("accepts a signed delivery with 202, processes it in the background and runs it once", async () => {
    const delivery = randomUUID();
    const sent = await send("shop", secret, { type: "order.created", order: { id: 1001, note: "gift wrap" } }, { delivery });
    expect(sent.status).toBe(202);
    expect(sent.body).toMatchObject({ status: "received", requestId: sent.requestId });
    processedId = sent.body.eventId;
    const event = await waitForStatus(processedId, "processed");
    const [dispatch] = event.dispatches as { runId: string; status: string }[];
    expect(dispatch!.status).toBe("succeeded");
    const run = (await api(`/api/runs/${dispatch!.runId}`)).body.run;
    expect(run).toMatchObject({ pipeline: "system.echo", trigger: "event", input: { message: "gift wrap" }, actor: { type: "event", id: processedId, label: "shop/order.created" } });

    const again = await send("shop", secret, { type: "order.created", order: { id: 1001, note: "gift wrap" } }, { delivery });
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ duplicate: true, eventId: processedId });
    const runs = (await api(`/api/runs?actorId=${processedId}`)).body.runs;
    expect(runs).toHaveLength(1);
  });

  it("refuses a bad signature and a replayed (stale) one with 401", async () => {
    const bad = await send("shop", "whsec_wrong", { type: "order.created", order: {} });
    expect(bad.status).toBe(401);
    expect(bad.body.error.message).toMatch(/does not match/);
    const stale = await send("shop", secret, { type: "order.created", order: {} }, { t: Math.floor(Date.now() / 1000) - 3600 });
    expect(stale.status).toBe(401);
    expect(stale.body.error.message).toMatch(/tolerance window/);
    expect((await send("nobody", secret, { type: "x" })).status).toBe(404);
  });

  it("shows the events with their status, and an event in full", async () => {
    // The template does not fit the payload: no automatic retry can help, so the event is dead at once.
    const failed = await send("shop", secret, { type: "order.refunded", order: { id: 1002 } });
    expect(failed.status).toBe(202);
    deadId = failed.body.eventId;
    await waitForStatus(deadId, "dead");

    const events = new EventsPage(page, baseUrl);
    const dashboard = new DashboardPage(page, baseUrl);
    await dashboard.navigate("Events");
    await dashboard.heading("Events").waitFor();
    await events.row(processedId).waitFor();
    expect(await events.cell(processedId, "Status").textContent()).toBe("processed");
    expect(await events.cell(processedId, "Source").textContent()).toBe("shop");
    expect(await events.cell(processedId, "Type").textContent()).toBe("order.created");
    expect(await events.status(deadId).textContent()).toBe("dead");
    expect(await events.retryButton(deadId).isEnabled()).toBe(true);
    expect(await events.retryButton(processedId).count()).toBe(0);
    await screenshot(page, "events");

    // Filtered by status through the URL.
    await events.goto("status=dead");
    await events.row(deadId).waitFor();
    expect(await events.row(processedId).count()).toBe(0);
    expect(await page.getByRole("combobox", { name: "Status" }).inputValue()).toBe("dead");
    await phoneScreenshot(page, "events-dead-phone");

    await events.open(deadId);
    const detail = new EventDetailPage(page);
    await dashboard.heading("shop / order.refunded").waitFor();
    expect(await detail.status().textContent()).toBe("dead");
    expect(await detail.error().textContent()).toContain('$.refund.reason: the payload has no "refund" at $');
    expect(await detail.error().textContent()).toContain("Dead: automatic retries stopped");
    expect(await detail.nextStep().textContent()).toMatch(/^Every failure is one a retry cannot fix without a change/);
    expect(await page.getByRole("button", { name: "Retry" }).isEnabled()).toBe(true);
    expect(JSON.parse((await detail.payload().textContent()) ?? "")).toEqual({ type: "order.refunded", order: { id: 1002 } });
    await screenshot(page, "event-detail");
    await phoneScreenshot(page, "event-detail-dead-phone");
  });

  it("counts the dead event on the Overview, linking to the filtered Events page", async () => {
    const dashboard = new DashboardPage(page, baseUrl);
    await dashboard.goto("/");
    await dashboard.heading("Overview").waitFor();
    // Other files share the database: the figures are the API's counts (this file's dead event among them).
    const count = async (status: string) => (await api(`/api/webhook-events?status=${status}&limit=200`)).body.events.length as number;
    const dead = page.getByTestId("events-dead");
    expect(Number(await dead.locator("p").nth(1).textContent())).toBe(await count("dead"));
    expect(await count("dead")).toBeGreaterThanOrEqual(1);
    expect(Number(await page.getByTestId("events-waiting").locator("p").nth(1).textContent())).toBe(await count("failed"));
    await page.getByTestId("overview-events").scrollIntoViewIfNeeded();
    await screenshot(page, "overview-failed-events");
    await phoneScreenshot(page, "overview-failed-events-phone");
    await dead.click();
    await page.waitForURL(/\/events\?status=dead$/);
    await new EventsPage(page, baseUrl).row(deadId).waitFor();
    await new EventsPage(page, baseUrl).open(deadId);
    await dashboard.heading("shop / order.refunded").waitFor();
  });

  it("retries the dead event from its page after the subscription is fixed", async () => {
    const fixed = await api(`/api/webhook-sources/shop/subscriptions/${brokenSubscription}`, {
      method: "PATCH",
      body: { inputTemplate: { message: "refund of order $.order.id" } },
    });
    expect(fixed.status).toBe(200);
    // A literal ("refund of order $.order.id" does not start with "$"), so it is passed as is.
    const detail = new EventDetailPage(page);
    // The button is busy while the retry runs, then says what happened.
    const retry = page.getByRole("button", { name: "Retry" });
    await retry.click();
    await page.getByText(/^Dispatched again/).waitFor();
    await expect.poll(() => detail.status().textContent(), { timeout: 15_000 }).toBe("processed");
    await page.getByText(/^Dispatched again/).waitFor();
    expect(await detail.dispatches().first().textContent()).toContain("succeeded");
    expect(await page.getByRole("button", { name: "Retry" }).count()).toBe(0);
    await screenshot(page, "event-detail-retried");
  });

  it("retries a dead event from its row on the Events page, at phone width, and runs it once", async () => {
    // Dead at once (the template does not fit), then fixed: the row's Retry runs it again.
    const cancelled = await api("/api/webhook-sources/shop/subscriptions", {
      method: "POST",
      body: { eventType: "order.cancelled", pipeline: "system.echo", inputTemplate: { message: "$.cancel.reason" } },
    });
    expect(cancelled.status).toBe(201);
    const sent = await send("shop", secret, { type: "order.cancelled", order: { id: 1003 } });
    expect(sent.status).toBe(202);
    const eventId: string = sent.body.eventId;
    await waitForStatus(eventId, "dead");
    const fixed = await api(`/api/webhook-sources/shop/subscriptions/${cancelled.body.subscription.id}`, {
      method: "PATCH",
      body: { inputTemplate: { message: "order cancelled" } },
    });
    expect(fixed.status).toBe(200);

    const events = new EventsPage(page, baseUrl);
    await events.goto();
    await events.retryButton(eventId).waitFor();
    await screenshot(page, "events-retry");

    // At phone width, among the dead events (where the owner's notification links): the row goes on
    // following the event once the filter no longer matches it.
    await page.setViewportSize({ width: 390, height: 844 });
    await events.goto("status=dead");
    await events.retryButton(eventId).waitFor();
    // The table scrolls inside its card; the page itself never scrolls sideways.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    expect(await events.retryButton(eventId).isVisible()).toBe(true);
    await screenshot(page, "events-retry-phone");

    await events.retryButton(eventId).click();
    await expect.poll(() => events.status(eventId).textContent(), { timeout: 15_000 }).toBe("processed");
    await events.row(eventId).getByText("Dispatched again").waitFor();
    expect(await events.retryButton(eventId).count()).toBe(0);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await screenshot(page, "events-retried-phone");
    await page.setViewportSize({ width: 1280, height: 800 });
    await events.goto();
    await events.status(eventId).waitFor();
    await screenshot(page, "events-retried");

    // One click, one run: the fixed pipeline ran once and the event is processed.
    const event = await waitForStatus(eventId, "processed");
    expect(event).toMatchObject({ autoRetries: 0, deadAt: null, error: null });
    expect((event.dispatches as { status: string }[]).map((d) => d.status)).toEqual(["succeeded"]);
    const runs = (await api(`/api/runs?actorId=${eventId}`)).body.runs;
    expect(runs).toHaveLength(1);
    expect(runs[0]).toMatchObject({ pipeline: "system.echo", status: "succeeded", input: { message: "order cancelled" } });
  });

  it("creates a source from the sources page, showing its secret once with a signing example", async () => {
    const sources = new SourcesPage(page, baseUrl);
    await sources.goto();
    await page.getByRole("heading", { name: "Webhook sources" }).waitFor();
    await sources.source("shop").waitFor();
    await sources.create("github", "Pushes from the automations repository");
    await sources.secret().waitFor();
    const shown = (await sources.secret().textContent()) ?? "";
    expect(shown).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(await page.getByTestId("secret-panel").textContent()).toContain("webhook-signature: v1,$SIG");
    await sources.source("github").waitFor();
    await sources.subscribe("github", "push", "notes.capture", '{ "title": "$.head_commit.message", "body": "$.compare" }');
    await sources.source("github").getByRole("table", { name: "Subscriptions of github" }).getByText("notes.capture").waitFor();
    await page.evaluate(() => window.scrollTo(0, 0));
    await screenshot(page, "event-sources");

    // The secret shown works for a real delivery; after a reload it is gone for good.
    const sent = await send("github", shown, { type: "push", head_commit: { message: "Hello" }, compare: "https://example.test/c" });
    expect(sent.status).toBe(202);
    await page.reload();
    await sources.source("github").waitFor();
    expect(await sources.secret().count()).toBe(0);
    expect(await page.content()).not.toContain(shown);
  });
});
