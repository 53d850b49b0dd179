import { createOpenAI } from "@ai-sdk/openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { NextRequest } from "next/server";
import { GET as metricsRoute } from "@/app/api/metrics/route";
import { createArea } from "@/lib/chat/areas";
import { startChatTurn } from "@/lib/chat/chat-turn";
import { createConversation } from "@/lib/chat/conversations";
import { getDb } from "@/lib/db/client";
import { autocommit } from "@/lib/db/transaction";
import type { StageOneResult } from "@/lib/triage/categories";
import { classifyWithModel } from "@/lib/triage/model-stage";
import { triageKitForFile, mailFixture } from "@/lib/triage/test-kit";
import { undoAction } from "@/lib/triage/undo";
import { createUser } from "@/lib/users/service";
import { startFakeOpenAI, type FakeOpenAI } from "@/tests/fakes/openai-server";
import { readUIChunks } from "@/tests/fakes/ui-stream";
import { setEnv } from "@/tests/setup/config-env";
import { parseMetrics, sumOf, valueOf, type Sample } from "@/tests/setup/prometheus";

// Triage and model usage in the scrape: a real sync over the fake Gmail (stage 1), an undo, a triage
// model call and a chat turn through the real OpenAI provider against the scripted server.

const TOKEN = "scrape-token-0123456789abcdef";
const kit = triageKitForFile();
let fake: FakeOpenAI;
let restoreEnv: () => void;

async function scrape(): Promise<Sample[]> {
  const req = new NextRequest("http://localhost/api/metrics", { headers: { authorization: `Bearer ${TOKEN}` } });
  const res = await metricsRoute(req, { params: Promise.resolve({}) });
  expect(res.status).toBe(200);
  return parseMetrics(await res.text());
}

beforeAll(async () => {
  fake = await startFakeOpenAI({ apiKey: "sk-test" });
  restoreEnv = setEnv({ METRICS_TOKEN: TOKEN, OPENAI_BASE_URL: fake.url, OPENAI_API_KEY: "sk-test" });
});

afterAll(async () => {
  restoreEnv();
  await fake.close();
});

describe("triage and model metrics", () => {
  it("counts triaged messages by stage, category and status, the review queue and undos", async () => {
    const before = await scrape();
    const account = await kit.connect();
    kit.fake().addMessages(["newsletter", "invoice", "github-notification", "personal"].map((f) => mailFixture(f as "newsletter")), ["INBOX", "UNREAD"], { email: account.emailAddress });
    const run = await kit.sync(account.id, "backfill");
    expect(run.status).toBe("succeeded");

    const decided = await autocommit().triagedMessage.groupBy({ by: ["stage", "category", "status"], where: { syncRunId: run.id }, _count: { _all: true } });
    expect(decided.reduce((n, g) => n + g._count._all, 0)).toBe(4);
    const afterSync = await scrape();
    for (const group of decided) {
      const labels = { stage: group.stage, category: group.category, status: group.status };
      expect(sumOf(afterSync, "pa_triage_messages_total", labels) - sumOf(before, "pa_triage_messages_total", labels), JSON.stringify(labels)).toBe(group._count._all);
    }
    // The newsletter and the invoice are applied; what the stages leave unsure waits in review, and the gauge says how many.
    expect(sumOf(afterSync, "pa_triage_messages_total", { status: "applied" }) - sumOf(before, "pa_triage_messages_total", { status: "applied" })).toBe(2);
    const waiting = decided.filter((g) => g.status === "review").reduce((n, g) => n + g._count._all, 0);
    expect(waiting).toBeGreaterThan(0);
    expect(valueOf(afterSync, "pa_triage_review_queue_size")).toBe(waiting);

    const action = await autocommit().triageAction.findFirstOrThrow({ where: { syncRunId: run.id, kind: "apply" } });
    await undoAction(action.id, { actor: "owner@example.com", scope: "operator" });
    const afterUndo = await scrape();
    expect(valueOf(afterUndo, "pa_triage_undos_total") - valueOf(afterSync, "pa_triage_undos_total")).toBe(1);
    // An undone message goes back to review.
    expect(valueOf(afterUndo, "pa_triage_review_queue_size")).toBe(waiting + 1);
  });

  it("counts model calls, tokens and cost by area: triage's classification and a chat turn", async () => {
    const before = await scrape();
    const model = createOpenAI({ baseURL: fake.url, apiKey: "sk-test" }).chat("triage-model");
    const message = { messageId: "m@x", from: { address: "sam@friends.example", name: "Sam" }, to: [], subject: "saturday?", date: "2026-11-20T09:00:00.000Z", headers: {}, text: "Are we on?", attachments: [] };
    const stage1: StageOneResult = { category: "other", confidence: 0.5, stage: "heuristic", decided: false, reasons: ["ambiguous"] };
    fake.script({ text: JSON.stringify({ category: "action_needed", confidence: 0.8, reasons: ["asks a question"] }), usage: { prompt: 420, completion: 31 } });
    expect((await classifyWithModel(message, stage1, { model, maxRetries: 0 })).decided).toBe(true);
    fake.script({ status: 500, error: "overloaded" });
    expect((await classifyWithModel(message, stage1, { model, maxRetries: 0 })).decided).toBe(false);

    const owner = (await createUser({ email: "ada@example.com", password: "a-long-password-1", role: "owner" })).user;
    await createArea({ slug: "metrics", name: "Metrics", model: "scripted", pipelines: ["system.echo"], maxSteps: 2, turnBudgetUsd: 10, dailyBudgetUsd: 10, inputUsdPerMTok: 2, outputUsdPerMTok: 10 });
    const conversation = await createConversation(owner, "metrics");
    fake.script({ text: "Hello.", usage: { prompt: 1000, completion: 100 } });
    const response = await startChatTurn({ user: owner, body: { conversationId: conversation.id, message: { text: "hi" } }, signal: new AbortController().signal, requestId: "req_metrics_chat" });
    await readUIChunks(response);
    for (let i = 0; i < 100 && (await getDb().chatTurn.count({ where: { finishedAt: null } })) > 0; i++) await new Promise((r) => setTimeout(r, 20));

    const after = await scrape();
    const delta = (name: string, labels: Record<string, string>) => sumOf(after, name, labels) - sumOf(before, name, labels);
    expect(delta("pa_model_calls_total", { area: "triage", outcome: "ok" })).toBe(1);
    expect(delta("pa_model_calls_total", { area: "triage", outcome: "error" })).toBe(1);
    expect(delta("pa_model_tokens_total", { area: "triage", direction: "input" })).toBe(420);
    expect(delta("pa_model_tokens_total", { area: "triage", direction: "output" })).toBe(31);
    expect(delta("pa_model_calls_total", { area: "metrics", outcome: "ok" })).toBe(1);
    expect(delta("pa_model_tokens_total", { area: "metrics", direction: "input" })).toBe(1000);
    expect(delta("pa_model_tokens_total", { area: "metrics", direction: "output" })).toBe(100);
    // (1000 × $2 + 100 × $10) per million tokens.
    expect(delta("pa_model_cost_usd_total", { area: "metrics" })).toBeCloseTo(0.003, 9);
  });
});
