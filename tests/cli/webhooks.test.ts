import { randomBytes } from "node:crypto";
import { mkdtemp, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { NextRequest } from "next/server";
import { describe, expect, it, vi } from "vitest";
import { POST } from "@/app/api/webhooks/[source]/route";
import { decryptSecret } from "@/lib/crypto/encryption";
import { resetConfigForTests } from "@/lib/config";
import { autocommit } from "@/lib/db/transaction";
import { cli } from "./run-cli";

// `pa webhooks …` against this file's database. A delivery signed by `webhooks sign` is sent
// through the real route handler; its background hand-off is left to the test (see retry).

vi.mock("@/inngest/dispatch", () => ({ dispatchBackground: async () => {} }));

function printedSecret(output: string): string {
  const match = output.match(/^Secret:\s+(whsec_\S+)$/m);
  if (!match?.[1]) throw new Error(`no secret in output:\n${output}`);
  return match[1];
}

/** Sends what `webhooks sign --json` printed, as the sender would. */
async function send(signed: { url: string; headers: Record<string, string>; body: string }) {
  const source = new URL(signed.url).pathname.split("/").pop()!;
  const req = new NextRequest(`http://localhost/api/webhooks/${source}`, { method: "POST", headers: signed.headers, body: signed.body });
  const res = await POST(req, { params: Promise.resolve({ source }) });
  return { status: res.status, json: (await res.json()) as { eventId: string; status: string } };
}

describe("pa webhooks", () => {
  it("creates a source, printing its secret once; listing never shows it", async () => {
    const created = await cli(["webhooks", "sources", "create", "github", "--description", "Repository pushes", "--tolerance", "120"]);
    expect(created.code).toBe(0);
    const secret = printedSecret(created.out);
    expect(created.out).toMatch(/^Endpoint:\s+POST http:\/\/localhost:3000\/api\/webhooks\/github$/m);
    expect(created.out).toContain("will not be shown again");

    const row = await autocommit().webhookSource.findUniqueOrThrow({ where: { name: "github" } });
    expect(row).toMatchObject({ description: "Repository pushes", toleranceSeconds: 120 });
    expect(decryptSecret(row.secretEncrypted, `webhook_source:${row.id}`)).toBe(secret);

    const list = await cli(["webhooks", "sources", "list"]);
    expect(list.lines[0]).toMatch(/^NAME\s+STATUS\s+TOLERANCE\s+SUBSCRIPTIONS\s+EVENTS\s+ENDPOINT$/);
    expect(list.out).toMatch(/^github\s+enabled\s+120 s\s+0\s+0\s+http:\/\/localhost:3000\/api\/webhooks\/github$/m);
    const json = await cli(["webhooks", "sources", "list", "--json"]);
    for (const output of [list.out, json.out]) expect(output).not.toContain(secret);

    const duplicate = await cli(["webhooks", "sources", "create", "github"]);
    expect(duplicate.code).toBe(1);
    expect(duplicate.err).toBe('error: A webhook source named "github" already exists');
  });

  it("subscribes a pipeline, signs a delivery that the endpoint accepts, and lists the event", async () => {
    const sub = await cli(["webhooks", "subscribe", "github", "--event", "push", "--pipeline", "system.echo", "--input-template", '{"message":"$.head_commit.message"}']);
    expect(sub.code).toBe(0);
    expect(sub.out).toMatch(/^Subscribed system\.echo to "push" events of github \(sub_[0-9a-z]{26}\)\.$/);

    const body = JSON.stringify({ type: "push", head_commit: { message: "Ship it" } });
    const signed = await cli(["webhooks", "sign", "github", "--body", body, "--event", "push", "--json"]);
    expect(signed.code).toBe(0);
    const parsed = JSON.parse(signed.out);
    expect(parsed.headers).toMatchObject({ "webhook-id": expect.any(String), "webhook-timestamp": expect.stringMatching(/^\d+$/) });
    expect(parsed.headers["webhook-signature"]).toMatch(/^v1,[A-Za-z0-9+/]{43}=$/);
    expect(signed.out).not.toMatch(/whsec_/);
    const sent = await send(parsed);
    expect(sent.status).toBe(202);

    // The text form prints the headers and a curl command.
    const text = await cli(["webhooks", "sign", "github", "--body", body]);
    expect(text.out).toMatch(/^webhook-signature: v1,[A-Za-z0-9+/]{43}=$/m);
    expect(text.out).toMatch(/^curl -sS -X POST 'http:\/\/localhost:3000\/api\/webhooks\/github' -H 'content-type: application\/json'/m);

    const events = await cli(["webhooks", "events", "--source", "github"]);
    expect(events.lines[0]).toMatch(/^ID\s+RECEIVED\s+SOURCE\s+TYPE\s+STATUS\s+ATTEMPTS\s+RUNS$/);
    expect(events.out).toMatch(new RegExp(`^${sent.json.eventId}\\s+just now\\s+github\\s+push\\s+dispatched\\s+0\\s+-$`, "m"));
    const json = JSON.parse((await cli(["webhooks", "events", "--status", "dispatched", "--json"])).out);
    expect(json.events.map((e: { id: string }) => e.id)).toContain(sent.json.eventId);
    expect((await cli(["webhooks", "events", "--status", "bogus"])).code).toBe(2);

    // Retried from the terminal, it runs here and now.
    const retried = await cli(["webhooks", "retry", sent.json.eventId]);
    expect(retried.code).toBe(0);
    expect(retried.out).toBe(`${sent.json.eventId} is processed: 1 pipeline succeeded.`);
    const runs = await autocommit().pipelineRun.findMany({ where: { actorId: sent.json.eventId } });
    expect(runs).toMatchObject([{ pipeline: "system.echo", trigger: "event", input: { message: "Ship it" } }]);
    expect((await cli(["webhooks", "retry", sent.json.eventId])).err).toMatch(/was processed; there is nothing to retry/);
  });

  it("signs with a secret from standard input; a wrong one is refused by the endpoint", async () => {
    const signed = await cli(["webhooks", "sign", "github", "--body", "{}", "--json", "--secret-stdin"], { stdin: "whsec_wrong\n" });
    expect(signed.code).toBe(0);
    expect((await send(JSON.parse(signed.out))).status).toBe(401);
  });

  it("exits 1 when a retried event fails again", async () => {
    await cli(["webhooks", "subscribe", "github", "--event", "read", "--pipeline", "context.read", "--input-template", '{"path":"$.path","tier":"full"}']);
    const signed = JSON.parse((await cli(["webhooks", "sign", "github", "--body", JSON.stringify({ type: "read", path: "../x" }), "--json"])).out);
    const { json } = await send(signed);
    const retried = await cli(["webhooks", "retry", json.eventId]);
    expect(retried.code).toBe(1);
    expect(retried.err).toMatch(new RegExp(`^error: ${json.eventId} is failed: context\\.read failed: `));
    expect(retried.err).toMatch(/ It is retried on its own in 1 min\.$/m);
    const dead = await cli(["webhooks", "events", "--status", "dead", "--json"]);
    expect(dead.code).toBe(0);
    expect(JSON.parse(dead.out).events).toEqual([]);
  });

  it("rotates, disables, enables, unsubscribes and deletes", async () => {
    const rotated = await cli(["webhooks", "sources", "rotate", "github"]);
    expect(rotated.code).toBe(0);
    const secret = printedSecret(rotated.out);
    const row = await autocommit().webhookSource.findUniqueOrThrow({ where: { name: "github" } });
    expect(decryptSecret(row.secretEncrypted, `webhook_source:${row.id}`)).toBe(secret);

    expect((await cli(["webhooks", "sources", "disable", "github"])).out).toBe("Disabled github.");
    expect((await cli(["webhooks", "sources", "list"])).out).toMatch(/^github\s+disabled/m);
    expect((await cli(["webhooks", "sources", "enable", "github"])).out).toBe("Enabled github.");

    const [sub] = await autocommit().webhookSubscription.findMany({ take: 1 });
    expect((await cli(["webhooks", "unsubscribe", sub!.id])).out).toBe(`Removed subscription ${sub!.id}.`);
    expect((await cli(["webhooks", "unsubscribe", sub!.id])).code).toBe(1);

    expect((await cli(["webhooks", "sources", "delete", "github"])).code).toBe(0);
    expect(await autocommit().webhookSource.count()).toBe(0);
    expect(await autocommit().webhookEvent.count()).toBe(0);
  });

  it("uses the key `npm start` generated in DATA_DIR when ENCRYPTION_KEYS is not set", async () => {
    const saved = { keys: process.env.ENCRYPTION_KEYS, dataDir: process.env.DATA_DIR };
    const dataDir = await mkdtemp(path.join(os.tmpdir(), "pa-cli-keys-"));
    const key = randomBytes(32).toString("base64");
    await writeFile(path.join(dataDir, "encryption-key"), `${key}\n`);
    process.env.ENCRYPTION_KEYS = "";
    process.env.DATA_DIR = dataDir;
    resetConfigForTests();
    try {
      const created = await cli(["webhooks", "sources", "create", "local-key"]);
      expect(created.code).toBe(0);
      const row = await autocommit().webhookSource.findUniqueOrThrow({ where: { name: "local-key" } });
      expect(row.secretEncrypted.startsWith("v1.local.")).toBe(true);
      expect(decryptSecret(row.secretEncrypted, `webhook_source:${row.id}`, [{ id: "local", key: Buffer.from(key, "base64") }])).toBe(printedSecret(created.out));
    } finally {
      process.env.ENCRYPTION_KEYS = saved.keys;
      process.env.DATA_DIR = saved.dataDir;
      if (saved.dataDir === undefined) delete process.env.DATA_DIR;
      resetConfigForTests();
    }
  });
});
