import { afterAll, beforeAll, beforeEach, describe, expect, inject, it } from "vitest";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { remoteFakeOpenAI } from "../fakes/openai-server";
import { readUIChunks, streamedText } from "../fakes/ui-stream";
import { DashboardPage } from "./pages/dashboard-page";
import { screenshot } from "./setup/browser";
import { signInForCookie } from "./setup/session";
import { openSignedIn } from "./setup/signed-in";

const { baseUrl, ownerEmail, ownerPassword, openaiUrl } = inject("e2e");
const model = remoteFakeOpenAI(openaiUrl);

// The assistants end to end: the production build's chat route, the real @ai-sdk/openai provider,
// and a scripted OpenAI-compatible server on 127.0.0.1; then the same in headless Chromium.

beforeEach(() => model.reset());

describe("chat route (HTTP)", () => {
  let cookie = "";
  beforeAll(async () => {
    cookie = await signInForCookie(baseUrl, ownerEmail, ownerPassword);
  });
  const api = (path: string, init: RequestInit = {}) =>
    fetch(`${baseUrl}${path}`, { ...init, headers: { cookie, "content-type": "application/json", ...init.headers } });

  it("refuses callers without a session, and bad requests with a JSON error", async () => {
    const anonymous = await fetch(`${baseUrl}/api/chat`, { method: "POST", headers: { "content-type": "application/json" }, body: "{}" });
    expect(anonymous.status).toBe(401);
    const bad = await api("/api/chat", { method: "POST", body: JSON.stringify({ conversationId: "nope", message: { text: "" } }) });
    expect(bad.status).toBe(400);
    expect((await bad.json()).error.code).toBe("validation_failed");
  });

  it("streams text, a tool call and its result, and a second step, all recorded", async () => {
    const created = await api("/api/conversations", { method: "POST", body: JSON.stringify({ area: "general" }) });
    expect(created.status).toBe(201);
    const { conversation } = await created.json();
    await model.script(
      { text: "Checking.", toolCalls: [{ name: "system_echo", arguments: { message: "ping" } }], usage: { prompt: 900, completion: 20 } },
      { text: "The connection works.", usage: { prompt: 1000, completion: 8 } },
    );
    const res = await api("/api/chat", { method: "POST", body: JSON.stringify({ conversationId: conversation.id, message: { text: "Is everything connected?" } }) });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("text/event-stream");
    const chunks = await readUIChunks(res);
    expect(streamedText(chunks)).toBe("Checking.The connection works.");
    expect(chunks.find((c) => c.type === "tool-input-available")).toMatchObject({ toolName: "system_echo", input: { message: "ping" } });
    const output = chunks.find((c) => c.type === "tool-output-available") as unknown as { output: { runId: string; output: { message: string } } };
    expect(output.output.output.message).toBe("ping");
    expect(chunks.at(-1)).toMatchObject({ type: "finish", messageMetadata: { usage: { inputTokens: 1900, outputTokens: 28, steps: 2 } } });

    const requests = await model.requests();
    expect(requests).toHaveLength(2);
    expect(requests[0]!.authorization).toBe("Bearer sk-e2e");

    const run = await (await api(`/api/runs/${output.output.runId}`)).json();
    expect(run.run ?? run).toMatchObject({ pipeline: "system.echo", trigger: "chat", conversationId: conversation.id });

    const detail = await (await api(`/api/conversations/${conversation.id}`)).json();
    expect(detail.messages.map((m: { role: string }) => m.role)).toEqual(["user", "assistant"]);
    expect(detail.turns[0]).toMatchObject({ status: "completed", steps: 2, toolCalls: 1, inputTokens: 1900 });
  });
});

describe("chat and areas pages (browser)", () => {
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;

  beforeAll(async () => {
    ({ browser, context, page } = await openSignedIn(baseUrl, { email: ownerEmail, password: ownerPassword }));
  });
  afterAll(async () => {
    await context?.close();
    await browser?.close();
  });

  it("streams text and a tool card, then shows the conversation again after a reload", async () => {
    await model.script(
      { text: "Let me check the connection first.", toolCalls: [{ name: "system_echo", arguments: { message: "hello from chat" } }], chunkDelayMs: 100 },
      { text: "All good: the echo came back unchanged, so the platform is reachable.", chunkDelayMs: 25 },
    );
    const dashboard = new DashboardPage(page, baseUrl);
    await dashboard.navigate("Chat");
    await page.getByTestId("conversation-title").waitFor();
    await page.getByLabel("Message").fill("Can you check the platform is up?");
    // Text appears while it is still streaming (before the tool card exists), then the card: the page
    // records the order in which they first appear (a check after the fact races a busy machine).
    await page.evaluate(() => {
      const seen: string[] = [];
      (window as unknown as { seenOrder: string[] }).seenOrder = seen;
      const look = () => {
        const found = ["assistant-text", "tool-card"].filter((id) => !seen.includes(id) && document.querySelector(`[data-testid="${id}"]`));
        if (found.length) seen.push(found.join("+"));
      };
      new MutationObserver(look).observe(document.body, { childList: true, subtree: true });
    });
    await page.getByRole("button", { name: "Send" }).click();
    const card = page.getByTestId("tool-card").first();
    await card.waitFor();
    expect(await page.evaluate(() => (window as unknown as { seenOrder: string[] }).seenOrder)).toEqual(["assistant-text", "tool-card"]);
    await page.locator('[data-testid="tool-card"][data-state="output-available"]').waitFor();
    await page.getByText("All good: the echo came back unchanged, so the platform is reachable.").waitFor();
    await page.getByTestId("usage").waitFor();
    expect(page.url()).toMatch(/\/chat\/cnv_[a-z0-9]{26}$/);
    expect(await page.getByTestId("conversation-title").textContent()).toBe("Can you check the platform is up?");
    await screenshot(page, "chat-streamed");

    await page.reload();
    await page.getByText("All good: the echo came back unchanged, so the platform is reachable.").waitFor();
    expect(await page.getByTestId("message-user").textContent()).toContain("Can you check the platform is up?");
    await page.locator('[data-testid="tool-card"][data-state="output-available"]').click();
    await page.getByText('"hello from chat"').first().waitFor();
    await expect(page.getByTestId("conversation-title").textContent()).resolves.toBe("Can you check the platform is up?");
    // The sidebar lists it.
    await page.getByRole("navigation", { name: "Conversations" }).getByText("Can you check the platform is up?").waitFor();
    await screenshot(page, "chat-reloaded");

    // The tool card links to its run, and the run links back to the conversation.
    const conversationPath = new URL(page.url()).pathname;
    await page.locator('[data-testid="tool-card"] a[href^="/runs/run_"]').first().click();
    const backLink = page.getByTestId("run-conversation");
    await backLink.waitFor();
    expect(await backLink.getAttribute("href")).toBe(conversationPath);
  });

  it("asks before an outside-world pipeline runs, and shows its failure clearly", async () => {
    await model.script(
      { toolCalls: [{ name: "notify_send", arguments: { title: "Reminder", message: "Call the bank" } }] },
      { text: "The notification could not be sent because notifications are not set up." },
    );
    await page.goto(`${baseUrl}/chat?area=operations`);
    await page.getByLabel("Message").fill("Remind me on my phone to call the bank");
    await page.getByLabel("Message").press("Enter");
    await page.locator('[data-testid="tool-card"][data-state="approval-requested"]').waitFor();
    await screenshot(page, "chat-approval");
    await page.getByRole("button", { name: "Approve and run" }).click();
    // No NOTIFY_WEBHOOK_URL in this environment: the run fails and the card says why.
    await page.locator('[data-testid="tool-card"][data-state="output-error"]').waitFor();
    await page.getByText(/Notifications are not configured/).first().waitFor();
    await page.getByText("The notification could not be sent because notifications are not set up.").waitFor();
  });

  it("stops a response on request and keeps what was written", async () => {
    await model.script({ text: "This is a long answer that goes on and on. ".repeat(40), chunkDelayMs: 30 });
    await page.goto(`${baseUrl}/chat?area=general`);
    await page.getByLabel("Message").fill("Tell me a long story");
    await page.getByRole("button", { name: "Send" }).click();
    await page.getByTestId("assistant-text").first().waitFor();
    await page.getByTestId("stop").click();
    await page.getByRole("button", { name: "Send" }).waitFor();
    await page.waitForTimeout(500);
    await page.reload();
    await page.locator('[data-testid="chat-notice"][data-kind="stopped"]').waitFor();
    const kept = (await page.getByTestId("assistant-text").first().textContent()) ?? "";
    expect(kept.length).toBeGreaterThan(0);
    expect(kept.length).toBeLessThan("This is a long answer that goes on and on. ".length * 40);

    // Deleting it (after confirming) leaves the chat page without it.
    page.once("dialog", (dialog) => void dialog.accept());
    await page.getByTestId("delete-conversation").click();
    await page.waitForURL(/\/chat\?area=general$/);
    const sidebar = page.getByRole("navigation", { name: "Conversations" });
    await sidebar.getByText("Can you check the platform is up?").waitFor();
    expect(await sidebar.getByText("Tell me a long story").count()).toBe(0);
  });

  it("lists the areas and edits one, with a field error for a bad value", async () => {
    const dashboard = new DashboardPage(page, baseUrl);
    await dashboard.navigate("Areas");
    await dashboard.heading("Areas").waitFor();
    await page.getByTestId("areas-table").getByRole("link", { name: "Content" }).click();
    await dashboard.heading("Content").waitFor();
    await page.getByLabel("Steps per turn").fill("0");
    await page.getByRole("button", { name: "Save changes" }).click();
    await page.getByRole("alert").filter({ hasText: "must be at least 1" }).first().waitFor();
    await page.getByLabel("Steps per turn").fill("5");
    await page.getByRole("checkbox", { name: /system\.echo/ }).check();
    await page.getByRole("button", { name: "Save changes" }).click();
    await page.getByText("Saved. The next turn in this area uses the new settings.").waitFor();
    await screenshot(page, "area-edit");
    const cookie = await signInForCookie(baseUrl, ownerEmail, ownerPassword);
    const { area } = await (await fetch(`${baseUrl}/api/areas/content`, { headers: { cookie } })).json();
    expect(area).toMatchObject({ maxSteps: 5 });
    expect(area.pipelines).toContain("system.echo");
  });
});
