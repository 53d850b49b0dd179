import { startFakeGmail, type FakeGmail, type RecordedGmailRequest } from "../../tests/fakes/gmail-server";

// The fake Gmail API for the backfill benchmark, in a process of its own: serving and base64-encoding
// thousands of messages then uses the other core instead of the engine's event loop, as the real
// Gmail is elsewhere too. triage-backfill.ts forks this file and drives it over IPC; each `start`
// replaces the server with a fresh one (empty mailboxes, request log and in-flight peak).

export type FakeGmailCommand =
  | { op: "start"; latencyMs: number; clientId: string; clientSecret: string }
  | { op: "load"; email: string; count: number }
  | { op: "code"; email: string }
  | { op: "stats" };

export type FakeGmailStats = {
  /** API requests so far by kind: list, get, batchModify, labels, profile, or "METHOD path". */
  requests: Record<string, number>;
  tokenRequests: number;
  peakInFlight: number;
  /** CPU this process used since it started, in seconds. */
  cpuSeconds: number;
};

export type FakeGmailReply = { id: number; ok: true; value: unknown } | { id: number; ok: false; error: string };

const PREFIX = "/gmail/v1/users/me/";

function kindOf(request: RecordedGmailRequest): string {
  const route = `${request.method} ${request.path.startsWith(PREFIX) ? request.path.slice(PREFIX.length) : request.path}`;
  if (route === "GET messages") return "list";
  if (/^GET messages\/[^/]+$/.test(route)) return "get";
  if (route === "POST messages/batchModify") return "batchModify";
  if (route === "GET labels" || route === "POST labels") return "labels";
  if (route === "GET profile") return "profile";
  return route;
}

let fake: FakeGmail | undefined;

async function handle(command: FakeGmailCommand): Promise<unknown> {
  switch (command.op) {
    case "start": {
      await fake?.close();
      fake = await startFakeGmail({ latencyMs: command.latencyMs, clientId: command.clientId, clientSecret: command.clientSecret });
      return { url: fake.url, tokenUrl: fake.tokenUrl };
    }
    case "load":
      return (await running().loadCorpus(command.count, { email: command.email })).length;
    case "code":
      return running().issueCode(command.email);
    case "stats": {
      const requests: Record<string, number> = {};
      for (const request of running().requests) requests[kindOf(request)] = (requests[kindOf(request)] ?? 0) + 1;
      const cpu = process.cpuUsage();
      const stats: FakeGmailStats = { requests, tokenRequests: running().tokenRequests.length, peakInFlight: running().peakInFlight(), cpuSeconds: (cpu.user + cpu.system) / 1e6 };
      return stats;
    }
  }
}

function running(): FakeGmail {
  if (!fake) throw new Error("The fake Gmail is not started");
  return fake;
}

async function stop(): Promise<never> {
  await fake?.close().catch(() => {});
  process.exit(0);
}

process.on("message", (message: { id: number; command: FakeGmailCommand }) => {
  handle(message.command).then(
    (value) => process.send?.({ id: message.id, ok: true, value } satisfies FakeGmailReply),
    (error: unknown) => process.send?.({ id: message.id, ok: false, error: error instanceof Error ? error.message : String(error) } satisfies FakeGmailReply),
  );
});
// The benchmark closes the channel (or dies): nothing is left listening.
process.on("disconnect", () => void stop());
process.on("SIGTERM", () => void stop());
process.on("SIGINT", () => void stop());
