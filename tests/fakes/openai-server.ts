import { createServer, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { readBody } from "./http";

// A scripted OpenAI-compatible server on 127.0.0.1: POST /v1/chat/completions, streamed (SSE) or
// not, with text, tool calls and usage, so the real @ai-sdk/openai provider runs in tests.
//
// Replies are played in order from a script (a reply with `whenPromptContains` waits for a request
// that mentions its text); with an empty script it answers "You said: …" to a
// user message and "Done: …" after a tool result. Tests in another process script it over HTTP:
//   POST /__script {"replies":[…]}   POST /__reset   GET /__requests

export type ScriptedToolCall = { name: string; arguments: unknown; id?: string };

export type ScriptedReply = {
  /** Streamed in small chunks. */
  text?: string;
  toolCalls?: ScriptedToolCall[];
  usage?: { prompt: number; completion: number };
  /** Answer with this HTTP status and error message instead. */
  status?: number;
  error?: string;
  /** Pause between streamed chunks (to test stopping a response). */
  chunkDelayMs?: number;
  /**
   * Only for a request whose messages contain this text; other requests skip it. For callers that
   * ask the model concurrently (triage), where the order of requests is not fixed.
   */
  whenPromptContains?: string;
};

export type RecordedRequest = {
  model: string;
  stream: boolean;
  messages: { role: string; content?: unknown; tool_calls?: unknown[]; tool_call_id?: string }[];
  tools: { type: string; function: { name: string; description?: string; parameters?: unknown } }[];
  /** As sent (e.g. `{type: "json_schema", json_schema: {…}}` for structured output); the fake ignores it. */
  response_format?: unknown;
  temperature?: number;
  authorization: string | null;
};

export type FakeOpenAI = {
  /** Base URL to use as OPENAI_BASE_URL (ends in /v1). */
  url: string;
  script(...replies: ScriptedReply[]): void;
  reset(): void;
  requests: RecordedRequest[];
  close(): Promise<void>;
};

const CHUNK_CHARS = 8;

function contentText(content: unknown): string {
  if (typeof content === "string") return content;
  if (Array.isArray(content)) return content.map((p: { text?: string }) => p.text ?? "").join("");
  return "";
}

function defaultReply(request: RecordedRequest): ScriptedReply {
  const last = request.messages.at(-1);
  if (last?.role === "tool") return { text: `Done: ${contentText(last.content).slice(0, 200)}` };
  const user = [...request.messages].reverse().find((m) => m.role === "user");
  return { text: `You said: ${contentText(user?.content)}` };
}

function estimateUsage(request: RecordedRequest, reply: ScriptedReply): { prompt: number; completion: number } {
  const promptChars = JSON.stringify(request.messages).length + JSON.stringify(request.tools).length;
  const completionChars = (reply.text ?? "").length + JSON.stringify(reply.toolCalls ?? []).length;
  return { prompt: Math.ceil(promptChars / 4), completion: Math.max(1, Math.ceil(completionChars / 4)) };
}

function chunkText(text: string): string[] {
  const out: string[] = [];
  for (let i = 0; i < text.length; i += CHUNK_CHARS) out.push(text.slice(i, i + CHUNK_CHARS));
  return out;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function answerStreaming(res: ServerResponse, request: RecordedRequest, reply: ScriptedReply, id: string): Promise<void> {
  res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache", connection: "keep-alive" });
  const created = Math.floor(Date.now() / 1000);
  const send = (delta: object, finish: string | null = null) =>
    res.write(`data: ${JSON.stringify({ id, object: "chat.completion.chunk", created, model: request.model, choices: [{ index: 0, delta, finish_reason: finish }] })}\n\n`);
  send({ role: "assistant", content: "" });
  for (const piece of chunkText(reply.text ?? "")) {
    if (res.destroyed) return;
    send({ content: piece });
    if (reply.chunkDelayMs) await sleep(reply.chunkDelayMs);
  }
  (reply.toolCalls ?? []).forEach((call, index) => {
    const args = JSON.stringify(call.arguments ?? {});
    send({ tool_calls: [{ index, id: call.id ?? `call_${id}_${index}`, type: "function", function: { name: call.name, arguments: "" } }] });
    const half = Math.ceil(args.length / 2);
    send({ tool_calls: [{ index, function: { arguments: args.slice(0, half) } }] });
    send({ tool_calls: [{ index, function: { arguments: args.slice(half) } }] });
  });
  send({}, reply.toolCalls?.length ? "tool_calls" : "stop");
  const usage = reply.usage ?? estimateUsage(request, reply);
  res.write(
    `data: ${JSON.stringify({ id, object: "chat.completion.chunk", created, model: request.model, choices: [], usage: { prompt_tokens: usage.prompt, completion_tokens: usage.completion, total_tokens: usage.prompt + usage.completion } })}\n\n`,
  );
  res.end("data: [DONE]\n\n");
}

function answerWhole(res: ServerResponse, request: RecordedRequest, reply: ScriptedReply, id: string): void {
  const usage = reply.usage ?? estimateUsage(request, reply);
  const toolCalls = (reply.toolCalls ?? []).map((call, index) => ({
    id: call.id ?? `call_${id}_${index}`,
    type: "function",
    function: { name: call.name, arguments: JSON.stringify(call.arguments ?? {}) },
  }));
  res.writeHead(200, { "content-type": "application/json" });
  res.end(
    JSON.stringify({
      id,
      object: "chat.completion",
      created: Math.floor(Date.now() / 1000),
      model: request.model,
      choices: [
        {
          index: 0,
          message: { role: "assistant", content: reply.text ?? null, ...(toolCalls.length ? { tool_calls: toolCalls } : {}) },
          finish_reason: toolCalls.length ? "tool_calls" : "stop",
        },
      ],
      usage: { prompt_tokens: usage.prompt, completion_tokens: usage.completion, total_tokens: usage.prompt + usage.completion },
    }),
  );
}

function takeScripted(queue: ScriptedReply[], request: RecordedRequest): ScriptedReply | undefined {
  const prompt = request.messages.map((m) => contentText(m.content)).join("\n");
  const index = queue.findIndex((reply) => reply.whenPromptContains === undefined || prompt.includes(reply.whenPromptContains));
  return index === -1 ? undefined : queue.splice(index, 1)[0];
}

/**
 * Decides a reply from the request itself (for agents whose next call depends on an earlier tool
 * result, such as a lease id). Returning undefined falls back to the script, then the default.
 */
export type Responder = (request: RecordedRequest) => ScriptedReply | undefined;

export async function startFakeOpenAI(options: { apiKey?: string; responder?: Responder } = {}): Promise<FakeOpenAI> {
  const queue: ScriptedReply[] = [];
  const requests: RecordedRequest[] = [];
  let counter = 0;

  const server = createServer(async (req, res) => {
    try {
      const url = new URL(req.url ?? "/", "http://127.0.0.1");
      if (req.method === "POST" && url.pathname === "/__script") {
        const { replies } = JSON.parse(await readBody(req)) as { replies: ScriptedReply[] };
        queue.push(...replies);
        res.writeHead(204).end();
        return;
      }
      if (req.method === "POST" && url.pathname === "/__reset") {
        queue.length = 0;
        requests.length = 0;
        res.writeHead(204).end();
        return;
      }
      if (req.method === "GET" && url.pathname === "/__requests") {
        res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(requests));
        return;
      }
      if (req.method !== "POST" || url.pathname !== "/v1/chat/completions") {
        res.writeHead(404, { "content-type": "application/json" }).end(JSON.stringify({ error: { message: `No route ${req.method} ${url.pathname}` } }));
        return;
      }
      const authorization = req.headers.authorization ?? null;
      if (options.apiKey && authorization !== `Bearer ${options.apiKey}`) {
        res.writeHead(401, { "content-type": "application/json" }).end(JSON.stringify({ error: { message: "Incorrect API key provided", type: "invalid_request_error" } }));
        return;
      }
      const body = JSON.parse(await readBody(req)) as Partial<RecordedRequest>;
      const request: RecordedRequest = {
        model: body.model ?? "",
        stream: Boolean(body.stream),
        messages: body.messages ?? [],
        tools: body.tools ?? [],
        response_format: body.response_format,
        temperature: body.temperature,
        authorization,
      };
      requests.push(request);
      const reply = options.responder?.(request) ?? takeScripted(queue, request) ?? defaultReply(request);
      if (reply.status) {
        res.writeHead(reply.status, { "content-type": "application/json" });
        res.end(JSON.stringify({ error: { message: reply.error ?? "Scripted failure", type: "server_error" } }));
        return;
      }
      const id = `chatcmpl-${++counter}`;
      if (request.stream) await answerStreaming(res, request, reply, id);
      else answerWhole(res, request, reply, id);
    } catch (error) {
      if (!res.headersSent) res.writeHead(500, { "content-type": "application/json" });
      res.end(JSON.stringify({ error: { message: error instanceof Error ? error.message : "fake server error" } }));
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/v1`,
    script: (...replies) => queue.push(...replies),
    reset() {
      queue.length = 0;
      requests.length = 0;
    },
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Scripts a fake running in another process (the e2e global setup) over HTTP. */
export function remoteFakeOpenAI(baseUrl: string) {
  const root = baseUrl.replace(/\/v1$/, "");
  return {
    async script(...replies: ScriptedReply[]): Promise<void> {
      await fetch(`${root}/__script`, { method: "POST", body: JSON.stringify({ replies }) });
    },
    async reset(): Promise<void> {
      await fetch(`${root}/__reset`, { method: "POST" });
    },
    async requests(): Promise<RecordedRequest[]> {
      return (await fetch(`${root}/__requests`)).json() as Promise<RecordedRequest[]>;
    },
  };
}
