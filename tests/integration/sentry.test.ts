import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { gunzipSync } from "node:zlib";
import * as Sentry from "@sentry/nextjs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { definePipeline } from "@/lib/pipelines/define";
import { startRun } from "@/lib/pipelines/runner";
import { initServerSentry } from "@/lib/observability/sentry";
import { runWithRequestContext } from "@/lib/request-context";
import { registry } from "@/pipelines/registry";
import { setEnv } from "@/tests/setup/config-env";

// Sentry keeps reporting errors, now tagged with the request id and the run id: a pipeline that
// throws inside a request is reported to a fake Sentry ingest server on 127.0.0.1 with both.

type Envelope = { items: { type: string; payload: Record<string, unknown> }[] };
const envelopes: Envelope[] = [];
let close: () => Promise<void>;
let restoreEnv: () => void;

function parseEnvelope(body: Buffer): Envelope {
  const lines = body.toString("utf8").split("\n").filter(Boolean);
  const items: Envelope["items"] = [];
  for (let i = 1; i + 1 < lines.length; i += 2) items.push({ type: JSON.parse(lines[i]!).type, payload: JSON.parse(lines[i + 1]!) });
  return { items };
}

beforeAll(async () => {
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const raw = Buffer.concat(chunks);
      envelopes.push(parseEnvelope(req.headers["content-encoding"] === "gzip" ? gunzipSync(raw) : raw));
      res.writeHead(200, { "content-type": "application/json" }).end("{}");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  close = () => new Promise((resolve) => server.close(() => resolve()));
  restoreEnv = setEnv({ SENTRY_DSN: `http://publickey@127.0.0.1:${(server.address() as AddressInfo).port}/1` });
  initServerSentry();
});

afterAll(async () => {
  restoreEnv();
  await Sentry.close(2_000);
  await close();
});

const exploding = definePipeline({
  name: "test.explode",
  title: "Explodes",
  description: "Throws a plain error, as a bug would",
  input: z.object({}),
  output: z.object({}),
  async run() {
    throw new Error("the pipeline blew up");
  },
});

describe("Sentry", () => {
  it("reports a pipeline's unexpected error tagged with the request id and run id", async () => {
    const requestId = "req_sentry_test_0001";
    const started = await runWithRequestContext({ requestId }, () =>
      startRun(exploding, {}, { trigger: "api", actor: { type: "system", label: "test" }, requestId, resolve: (name) => registry[name as keyof typeof registry] }),
    );
    const closed = await started.completion;
    expect(closed.status).toBe("failed");
    await Sentry.flush(5_000);
    const events = envelopes.flatMap((e) => e.items).filter((i) => i.type === "event").map((i) => i.payload);
    const event = events.find((e) => JSON.stringify(e.exception).includes("the pipeline blew up"));
    expect(event, JSON.stringify(events)).toBeDefined();
    expect(event!.tags).toMatchObject({ requestId, runId: closed.id });
  });
});
