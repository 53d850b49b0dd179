import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { seedContextHub } from "@/lib/context-hub/seed-hub";
import { getDb } from "@/lib/db/client";
import { toJsonSchema } from "@/lib/pipelines/catalog";
import { registry } from "@/pipelines/registry";
import { createUser } from "@/lib/users/service";
import type { PublicUser } from "@/lib/users/repository";
import { startFakeOpenAI, type FakeOpenAI } from "@/tests/fakes/openai-server";
import { readUIChunks, streamedText, type UIChunk } from "@/tests/fakes/ui-stream";
import { createArea, updateArea } from "./areas";
import { startChatTurn } from "./chat-turn";
import { createConversation, getConversation } from "./conversations";
import { failure } from "@/tests/setup/app-error";
import { setEnv, withEnv } from "@/tests/setup/config-env";

// Chat turns through the real @ai-sdk/openai provider against a scripted OpenAI-compatible server
// on 127.0.0.1, with pipelines running through the real runner into this file's database.

let fake: FakeOpenAI;
let hub: string;
let owner: PublicUser;
let stranger: PublicUser;
const notifications: unknown[] = [];
let closeReceiver: () => Promise<void>;
let restoreEnv: () => void;

beforeAll(async () => {
  fake = await startFakeOpenAI({ apiKey: "sk-test-key" });
  const receiver = createServer((req, res) => {
    let body = "";
    req.on("data", (c) => (body += c));
    req.on("end", () => {
      notifications.push(JSON.parse(body));
      res.writeHead(200).end("ok");
    });
  });
  await new Promise<void>((r) => receiver.listen(0, "127.0.0.1", r));
  closeReceiver = () => new Promise((r) => receiver.close(() => r()));
  hub = await mkdtemp(path.join(os.tmpdir(), "chat-hub-"));
  await seedContextHub(hub);
  await writeFile(path.join(hub, "soul.md"), "# Soul\n\nThe owner is Ada, who runs a small freight company.\n");
  restoreEnv = setEnv({
    OPENAI_BASE_URL: fake.url,
    OPENAI_API_KEY: "sk-test-key",
    CONTEXT_HUB_DIR: hub,
    NOTIFY_WEBHOOK_URL: `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/notify`,
  });
  owner = (await createUser({ email: "ada@example.com", password: "a-long-password-1", role: "owner" })).user;
  stranger = (await createUser({ email: "eve@example.com", password: "a-long-password-2", role: "member" })).user;
});

afterAll(async () => {
  restoreEnv();
  await fake.close();
  await closeReceiver();
  await rm(hub, { recursive: true, force: true });
});

beforeEach(() => {
  fake.reset();
  notifications.length = 0;
});

async function turn(user: PublicUser, body: unknown, signal = new AbortController().signal): Promise<UIChunk[]> {
  const response = await startChatTurn({ user, body, signal, requestId: "req_test" });
  expect(response.headers.get("content-type")).toContain("text/event-stream");
  return readUIChunks(response);
}

async function settled(conversationId: string) {
  // The turn is saved when the stream finishes; wait for the record to close.
  for (let i = 0; i < 100; i++) {
    const open = await getDb().chatTurn.count({ where: { conversationId, finishedAt: null } });
    if (open === 0) break;
    await new Promise((r) => setTimeout(r, 20));
  }
  return getConversation(owner, conversationId);
}

describe("a chat turn", () => {
  it("streams text and a tool call, runs the pipeline on the record, and answers in a second step", async () => {
    const conversation = await createConversation(owner, "content");
    fake.script(
      { text: "Let me save that.", toolCalls: [{ name: "notes_capture", arguments: { title: "Call Priya", body: "About the Q3 rates" } }], usage: { prompt: 1200, completion: 40 } },
      { text: "Saved it to your inbox.", usage: { prompt: 1500, completion: 12 } },
    );
    const chunks = await turn(owner, { conversationId: conversation.id, message: { text: "Remember to call Priya about the Q3 rates" } });

    expect(streamedText(chunks)).toBe("Let me save that.Saved it to your inbox.");
    const call = chunks.find((c) => c.type === "tool-input-available")!;
    expect(call).toMatchObject({ toolName: "notes_capture", input: { title: "Call Priya", body: "About the Q3 rates" } });
    const output = chunks.find((c) => c.type === "tool-output-available") as unknown as { output: { runId: string; output: { path: string } } };
    expect(output.output.output.path).toMatch(/^inbox\/\d{4}-\d{2}-\d{2}-call-priya\.md$/);

    // The run is recorded like any other: trigger chat, actor the user, linked to the conversation.
    const run = await getDb().pipelineRun.findUniqueOrThrow({ where: { id: output.output.runId } });
    expect(run).toMatchObject({ pipeline: "notes.capture", trigger: "chat", actorType: "user", actorId: owner.id, conversationId: conversation.id, status: "succeeded" });

    // What the model saw: soul.md first, then the area's instructions and the hub's abstracts;
    // the area's pipelines as tools with the pipelines' input schemas.
    const [first, second] = fake.requests;
    const system = first!.messages[0]!;
    expect(system.role).toBe("system");
    const prompt = String(system.content);
    expect(prompt.indexOf("The owner is Ada")).toBeLessThan(prompt.indexOf("# Your area: Content"));
    expect(prompt).toContain("# Context hub");
    expect(first!.authorization).toBe("Bearer sk-test-key");
    expect(first!.tools.map((t) => t.function.name).sort()).toEqual(["context_read", "context_search", "notes_capture"]);
    const { $schema: _ignored, ...noteSchema } = toJsonSchema(registry["notes.capture"].input, "input");
    expect(first!.tools.find((t) => t.function.name === "notes_capture")!.function.parameters).toMatchObject(noteSchema);
    expect(second!.messages.at(-1)).toMatchObject({ role: "tool" });

    // Saved with every part, and the turn's usage and cost at the area's prices.
    const saved = await settled(conversation.id);
    expect(saved.conversation.title).toBe("Remember to call Priya about the Q3 rates");
    expect(saved.messages.map((m) => m.role)).toEqual(["user", "assistant"]);
    const tool = saved.messages[1]!.parts.find((p) => p.type === "tool-notes_capture") as { state: string; input: unknown };
    expect(tool).toMatchObject({ state: "output-available", input: { title: "Call Priya" } });
    expect(saved.turns).toHaveLength(1);
    expect(saved.turns[0]).toMatchObject({ status: "completed", endReason: "finished", steps: 2, toolCalls: 1, inputTokens: 2700, outputTokens: 52 });
    expect(saved.turns[0]!.costUsd).toBeCloseTo((2700 * 0.15 + 52 * 0.6) / 1e6, 9);
    expect(saved.messages[1]!.metadata?.usage).toMatchObject({ inputTokens: 2700, outputTokens: 52 });
  });

  it("refuses a tool outside the area even when the model names it, and records the refusal", async () => {
    const conversation = await createConversation(owner, "content");
    fake.script(
      { toolCalls: [{ name: "agent-jobs_create", arguments: { kind: "research.summarize", input: {} } }] },
      { text: "I cannot create agent jobs here." },
    );
    const chunks = await turn(owner, { conversationId: conversation.id, message: { text: "Queue a research job" } });
    const refusal = chunks.find((c) => c.type === "tool-output-error" || c.type === "tool-input-error") as unknown as { errorText: string };
    expect(refusal.errorText).toMatch(/agent-jobs_create/);
    expect(streamedText(chunks)).toBe("I cannot create agent jobs here.");
    expect(await getDb().pipelineRun.count({ where: { pipeline: "agent-jobs.create" } })).toBe(0);
    // The model was told the call failed.
    expect(JSON.stringify(fake.requests[1]!.messages.at(-1))).toMatch(/agent-jobs_create/);
    const saved = await settled(conversation.id);
    expect(saved.turns[0]).toMatchObject({ refusedToolCalls: 1, status: "completed" });
  });

  it("ends the turn at the area's step limit with a message that says so", async () => {
    await createArea({ slug: "steps", name: "Steps", model: "scripted", pipelines: ["system.echo"], maxSteps: 2, turnBudgetUsd: 10, dailyBudgetUsd: 10 });
    const conversation = await createConversation(owner, "steps");
    const echo = { toolCalls: [{ name: "system_echo", arguments: { message: "again" } }] };
    fake.script(echo, echo, echo);
    const chunks = await turn(owner, { conversationId: conversation.id, message: { text: "Loop" } });
    expect(fake.requests).toHaveLength(2);
    const notice = chunks.find((c) => c.type === "data-notice") as unknown as { data: { kind: string; message: string } };
    expect(notice.data).toMatchObject({ kind: "step_limit" });
    expect(notice.data.message).toContain("2 steps");
    const saved = await settled(conversation.id);
    expect(saved.turns[0]).toMatchObject({ status: "limited", endReason: "step_limit", steps: 2 });
    expect(saved.messages[1]!.parts.at(-1)).toMatchObject({ type: "data-notice", data: { kind: "step_limit" } });
  });

  it("ends the turn when it reaches its cost budget, and refuses new turns past the daily budget", async () => {
    await createArea({
      slug: "budget",
      name: "Budget",
      model: "scripted",
      pipelines: ["system.echo"],
      maxSteps: 10,
      turnBudgetUsd: 0.01,
      dailyBudgetUsd: 0.015,
      inputUsdPerMTok: 10,
      outputUsdPerMTok: 10,
    });
    const conversation = await createConversation(owner, "budget");
    const echo = { toolCalls: [{ name: "system_echo", arguments: {} }], usage: { prompt: 1000, completion: 0 } };
    fake.script(echo, echo, echo);
    const first = await turn(owner, { conversationId: conversation.id, message: { text: "Spend" } });
    // 1,000 tokens at $10/M = $0.01 per step: the first step reaches the $0.01 turn budget.
    expect(fake.requests).toHaveLength(1);
    expect(first.find((c) => c.type === "data-notice")).toMatchObject({ data: { kind: "turn_budget" } });
    let saved = await settled(conversation.id);
    expect(saved.turns[0]).toMatchObject({ endReason: "turn_budget", costUsd: 0.01 });

    // $0.01 spent of $0.015: the next turn may start but ends when the day's budget is reached.
    fake.reset();
    fake.script(echo, echo);
    const second = await turn(owner, { conversationId: conversation.id, message: { text: "Spend more" } });
    expect(fake.requests).toHaveLength(1);
    expect(second.find((c) => c.type === "data-notice")).toMatchObject({ data: { kind: "turn_budget" } });

    // $0.02 spent: no model call at all now.
    fake.reset();
    const third = await turn(owner, { conversationId: conversation.id, message: { text: "And more" } });
    expect(fake.requests).toHaveLength(0);
    expect(third.find((c) => c.type === "data-notice")).toMatchObject({ data: { kind: "daily_budget" } });
    saved = await settled(conversation.id);
    expect(saved.turns.at(-1)).toMatchObject({ endReason: "daily_budget", steps: 0, costUsd: 0 });
    expect(saved.messages.map((m) => m.role)).toEqual(["user", "assistant", "user", "assistant", "user", "assistant"]);

    // Raising the budget lets the area work again.
    await updateArea("budget", { dailyBudgetUsd: 1 });
    fake.script({ text: "Back." });
    expect(streamedText(await turn(owner, { conversationId: conversation.id, message: { text: "Hello?" } }))).toBe("Back.");
  });

  it("asks before running a pipeline that changes the outside world, and runs it once approved", async () => {
    const conversation = await createConversation(owner, "operations");
    fake.script({ toolCalls: [{ name: "notify_send", arguments: { title: "Truck late", message: "Load 42 is two hours late" } }] });
    const first = await turn(owner, { conversationId: conversation.id, message: { text: "Tell me on my phone that load 42 is late" } });
    const request = first.find((c) => c.type === "tool-approval-request") as unknown as { approvalId: string };
    expect(await getDb().pipelineRun.count({ where: { pipeline: "notify.send" } })).toBe(0);
    let saved = await settled(conversation.id);
    expect(saved.turns[0]).toMatchObject({ status: "waiting", endReason: "approval" });
    // The pending call is saved with the very approval id the client was sent.
    expect(saved.messages[1]!.parts.find((p) => p.type === "tool-notify_send")).toMatchObject({
      state: "approval-requested",
      approval: { id: request.approvalId },
      input: { title: "Truck late" },
    });
    expect(request.approvalId).toMatch(/^\S+$/);

    // A forged approval id is refused; the real one runs the pipeline and the model goes on.
    expect((await failure(startChatTurn({ user: owner, body: { conversationId: conversation.id, approvals: [{ id: "forged", approved: true }] }, signal: new AbortController().signal, requestId: "r" }))).status).toBe(409);
    fake.script({ text: "Sent." });
    const second = await turn(owner, { conversationId: conversation.id, approvals: [{ id: request.approvalId, approved: true }] });
    expect(streamedText(second)).toBe("Sent.");
    expect(notifications).toEqual([expect.objectContaining({ title: "Truck late", message: "Load 42 is two hours late" })]);
    const run = await getDb().pipelineRun.findFirstOrThrow({ where: { pipeline: "notify.send" } });
    expect(run).toMatchObject({ trigger: "chat", status: "succeeded", conversationId: conversation.id });
    saved = await settled(conversation.id);
    // The answer continues the same assistant message.
    expect(saved.messages.map((m) => m.role)).toEqual(["user", "assistant"]);
    expect(saved.messages[1]!.parts.find((p) => p.type === "tool-notify_send")).toMatchObject({ state: "output-available" });
  });

  it("does not run a denied call, and tells the model it was denied", async () => {
    const conversation = await createConversation(owner, "operations");
    fake.script({ toolCalls: [{ name: "notify_send", arguments: { title: "Hi", message: "Test" } }] });
    const first = await turn(owner, { conversationId: conversation.id, message: { text: "Ping my phone" } });
    const { approvalId } = first.find((c) => c.type === "tool-approval-request") as unknown as { approvalId: string };
    fake.script({ text: "Understood, I did not send it." });
    await turn(owner, { conversationId: conversation.id, approvals: [{ id: approvalId, approved: false, reason: "Not now" }] });
    expect(notifications).toHaveLength(0);
    expect(await getDb().pipelineRun.count({ where: { pipeline: "notify.send", conversationId: conversation.id } })).toBe(0);
    expect(JSON.stringify(fake.requests.at(-1)!.messages)).toContain("Not now");
    const saved = await settled(conversation.id);
    expect(saved.messages[1]!.parts.find((p) => p.type === "tool-notify_send")).toMatchObject({ state: "output-denied" });
  });

  it("shows a model server error as a clear message and keeps the user's message", async () => {
    const conversation = await createConversation(owner, "general");
    fake.script({ status: 400, error: "The model `nope` does not exist" }, { status: 400, error: "The model `nope` does not exist" });
    const chunks = await turn(owner, { conversationId: conversation.id, message: { text: "Hello" } });
    const error = chunks.find((c) => c.type === "error") as unknown as { errorText: string };
    expect(error.errorText).toMatch(/answered 400: The model `nope` does not exist/);
    expect(error.errorText).not.toContain("sk-test-key");
    const saved = await settled(conversation.id);
    expect(saved.messages[0]).toMatchObject({ role: "user", parts: [{ type: "text", text: "Hello" }] });
    expect(saved.turns[0]).toMatchObject({ status: "failed", endReason: "error" });
    expect(saved.turns[0]!.error).toContain("answered 400");
  });

  it("keeps what was streamed when the owner stops the response", async () => {
    const conversation = await createConversation(owner, "general");
    fake.script({ text: "word ".repeat(200), chunkDelayMs: 10 });
    const controller = new AbortController();
    const response = await startChatTurn({ user: owner, body: { conversationId: conversation.id, message: { text: "Talk" } }, signal: controller.signal, requestId: "r" });
    const reader = response.body!.getReader();
    let seen = "";
    while (!seen.includes("text-delta")) seen += new TextDecoder().decode((await reader.read()).value);
    controller.abort();
    await reader.cancel().catch(() => undefined);
    const saved = await settled(conversation.id);
    expect(saved.turns[0]).toMatchObject({ status: "stopped", endReason: "aborted" });
    expect(saved.messages[1]!.parts.at(-1)).toMatchObject({ type: "data-notice", data: { kind: "stopped" } });
    const text = saved.messages[1]!.parts.filter((p) => p.type === "text").map((p) => (p as { text: string }).text).join("");
    expect(text.length).toBeGreaterThan(0);
    expect(text.length).toBeLessThan(1000);
  });

  it("says how to configure a model when none is, before saving anything", async () => {
    const conversation = await createConversation(owner, "general");
    await withEnv({ OPENAI_BASE_URL: undefined, OPENAI_API_KEY: undefined }, async () => {
      const error = await failure(startChatTurn({ user: owner, body: { conversationId: conversation.id, message: { text: "hi" } }, signal: new AbortController().signal, requestId: "r" }));
      expect(error.status).toBe(503);
      expect(error.message).toContain("OPENAI_BASE_URL");
      expect(await getDb().chatMessage.count({ where: { conversationId: conversation.id } })).toBe(0);
    });
  });

  it("refuses bad requests with clear errors and saves nothing", async () => {
    const conversation = await createConversation(owner, "general");
    const call = (user: PublicUser, body: unknown) => failure(startChatTurn({ user, body, signal: new AbortController().signal, requestId: "r" }));
    expect((await call(owner, { conversationId: conversation.id })).status).toBe(400);
    expect((await call(owner, { conversationId: conversation.id, message: { text: "   " } })).status).toBe(400);
    expect((await call(owner, { conversationId: "cnv_01aaaaaaaaaaaaaaaaaaaaaaaa", message: { text: "hi" } })).status).toBe(404);
    // Someone else's conversation does not exist for them.
    expect((await call(stranger, { conversationId: conversation.id, message: { text: "hi" } })).status).toBe(404);
    expect((await call(owner, { conversationId: conversation.id, approvals: [{ id: "x", approved: true }] })).status).toBe(409);
    expect(await getDb().chatMessage.count({ where: { conversationId: conversation.id } })).toBe(0);
  });
});
