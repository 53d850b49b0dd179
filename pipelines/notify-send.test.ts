import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Webhook } from "standardwebhooks";
import { generateSigningSecret } from "@/lib/events/source-secret";
import type { Actor } from "@/lib/pipelines/define";
import { runPipeline } from "@/lib/pipelines/run-pipeline";
import { withEnv } from "@/tests/setup/config-env";

// notify.send against a receiver on 127.0.0.1 that verifies deliveries the way a Standard
// Webhooks consumer would, with the standardwebhooks library.

const actor: Actor = { type: "user", id: "usr_test", label: "test@example.com" };
const received: Array<{ headers: IncomingHttpHeaders; body: string }> = [];
let receiver: Server;
let url: string;

beforeAll(async () => {
  receiver = createServer((req, res) => {
    let body = "";
    req.on("data", (chunk) => (body += chunk));
    req.on("end", () => {
      received.push({ headers: req.headers, body });
      res.writeHead(200, { "content-type": "application/json" }).end("{}");
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
  url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/notify`;
});

afterAll(() => new Promise<void>((resolve) => receiver.close(() => resolve())));

const send = () => runPipeline({ name: "notify.send", input: { title: "Queue", message: "3 jobs wait" }, trigger: "api", actor, waitMs: 10_000 });

describe("notify.send", () => {
  it("signs deliveries with Standard Webhooks when NOTIFY_WEBHOOK_SECRET is set: the receiver verifies them, with the run id as webhook-id", async () => {
    const secret = generateSigningSecret();
    const { run } = await withEnv({ NOTIFY_WEBHOOK_URL: url, NOTIFY_WEBHOOK_SECRET: secret }, send);
    expect(run.status).toBe("succeeded");
    const delivery = received.at(-1)!;
    expect(delivery.headers["webhook-id"]).toBe(run.id);
    const verified = new Webhook(secret).verify(delivery.body, delivery.headers as Record<string, string>);
    expect(verified).toMatchObject({ title: "Queue", message: "3 jobs wait", runId: run.id });
    // Under another secret the same delivery does not verify.
    expect(() => new Webhook(generateSigningSecret()).verify(delivery.body, delivery.headers as Record<string, string>)).toThrow();
  });

  it("gives every attempt at one piece of work the same delivery id, so a receiver can drop a repeat after a crash", async () => {
    const attempt = (key: string) =>
      withEnv({ NOTIFY_WEBHOOK_URL: url, NOTIFY_WEBHOOK_SECRET: undefined }, () =>
        runPipeline({ name: "notify.send", input: { title: "Slot", message: "ran" }, trigger: "api", actor, idempotencyKey: key, workKey: "schedule:slt_1", waitMs: 10_000 }),
      );
    await attempt("slt_1");
    const first = received.at(-1)!;
    await attempt("slt_1:after:run_x");
    const second = received.at(-1)!;
    expect(second.headers["webhook-id"]).toBe(first.headers["webhook-id"]);
    expect(second.headers["idempotency-key"]).toBe(first.headers["webhook-id"]);
    expect(JSON.parse(second.body).runId).not.toBe(JSON.parse(first.body).runId);
  });

  it("sends unsigned deliveries when no secret is set", async () => {
    const { run } = await withEnv({ NOTIFY_WEBHOOK_URL: url, NOTIFY_WEBHOOK_SECRET: undefined }, send);
    expect(run.status).toBe("succeeded");
    expect(received.at(-1)!.headers["webhook-signature"]).toBeUndefined();
  });
});
