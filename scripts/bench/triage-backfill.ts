import { fork } from "node:child_process";
import { randomBytes } from "node:crypto";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { resetConfigForTests } from "@/lib/config";
import { disconnectDb, getDb, getPool } from "@/lib/db/client";
import { autocommit } from "@/lib/db/transaction";
import { connectGmailAccount, gmailProviderFor, type GoogleOptions } from "@/lib/email/accounts";
import type { EmailProvider } from "@/lib/email/provider";
import { corpusDirectory } from "@/lib/triage/corpus";
import { executeSyncRun, SYNC_BATCH_SIZE } from "@/lib/triage/sync";
import { insertSyncRun, type SyncRunDto } from "@/lib/triage/sync-runs";
import { createTestDatabase, startTestCluster } from "../../tests/setup/database";
import { checkpoint, onCleanup } from "./lifecycle";
import { formatTable, mib } from "./measure";
import { cpuMs, splitTime, timedProvider, watchCheckouts, type Split, type Timeline } from "./triage-backfill-timing";
import type { FakeGmailCommand, FakeGmailReply, FakeGmailStats } from "./triage-fake-gmail";

// The backfill part of bench:triage (see triage.ts): SpamAssassin messages in a fake Gmail mailbox,
// backfilled end to end through executeSyncRun with stage 1 only: --messages with the defaults,
// printed in detail, then --compare under other provider concurrencies, batch sizes and Gmail
// round trips. Each backfill gets a fresh fake server and a new account (a message is triaged once
// per account), connected through the real code exchange. A small unreported backfill runs first,
// so the first figures do not pay for loading and compiling the code.

export type BackfillOptions = { messages: number; compare: number; latencyMs: number };

type Setting = { concurrency: number; batchSize: number; latencyMs: number; messages: number };

type Outcome = {
  setting: Setting;
  run: SyncRunDto;
  split: Split;
  requests: Record<string, number>;
  peakInFlight: number;
  cpuSeconds: number;
  fakeCpuSeconds: number;
  rss: { before: number; peak: number; after: number };
  /** The same messages.get calls again with nothing else running, when asked for. */
  fetchAlone: { ms: number; cpuMs: number } | null;
};

/** GmailProvider's default concurrency; the engine's batch size is SYNC_BATCH_SIZE. */
const DEFAULT_CONCURRENCY = 8;
const CLIENT = { clientId: "bench-client.apps.googleusercontent.com", clientSecret: "bench-client-secret" };
const REDIRECT_URI = "http://localhost:3000/api/email/oauth/callback";

type GmailProcess = { call<T>(command: FakeGmailCommand): Promise<T>; stop(): Promise<void> };

function startGmailProcess(): GmailProcess {
  // fork passes on this process's execArgv, tsx's loader among them.
  const child = fork(fileURLToPath(new URL("./triage-fake-gmail.ts", import.meta.url)), [], { stdio: ["ignore", "inherit", "inherit", "ipc"] });
  const pending = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();
  let nextId = 0;
  child.on("message", (reply: FakeGmailReply) => {
    const waiting = pending.get(reply.id);
    pending.delete(reply.id);
    if (reply.ok) waiting?.resolve(reply.value);
    else waiting?.reject(new Error(`fake Gmail: ${reply.error}`));
  });
  child.on("exit", (code, signal) => {
    for (const waiting of pending.values()) waiting.reject(new Error(`The fake Gmail process exited (${signal ?? code})`));
    pending.clear();
  });
  return {
    call: <T>(command: FakeGmailCommand) =>
      new Promise<T>((resolve, reject) => {
        if (!child.connected) return reject(new Error("The fake Gmail process is gone"));
        const id = ++nextId;
        pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
        child.send({ id, command });
      }),
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once("exit", () => resolve());
        // Closing the channel makes it close its server and exit; a kill if it does not.
        if (child.connected) child.disconnect();
        setTimeout(() => child.kill("SIGKILL"), 5_000).unref();
      }),
  };
}

function sampleRss(): () => number {
  let peak = process.memoryUsage().rss;
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 50);
  return () => {
    clearInterval(timer);
    return Math.max(peak, process.memoryUsage().rss);
  };
}

function difference(after: Record<string, number>, before: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(after).map(([kind, n]) => [kind, n - (before[kind] ?? 0)]).filter(([, n]) => n !== 0));
}

/** Fetches the run's messages again, batch after batch as the engine does, with nothing else running. */
async function fetchAlone(provider: EmailProvider, runId: string, batchSize: number): Promise<Outcome["fetchAlone"]> {
  const rows = await autocommit().triagedMessage.findMany({ where: { syncRunId: runId }, select: { gmailMessageId: true } });
  const ids = rows.map((r) => r.gmailMessageId);
  const start = performance.now();
  const cpuStart = cpuMs();
  for (let i = 0; i < ids.length; i += batchSize) await provider.getRawMessages(ids.slice(i, i + batchSize));
  return { ms: performance.now() - start, cpuMs: cpuMs() - cpuStart };
}

async function backfill(gmail: GmailProcess, checkouts: Timeline["checkouts"], setting: Setting, index: number, options: { fetchAlone?: boolean } = {}): Promise<Outcome> {
  const { url, tokenUrl } = await gmail.call<{ url: string; tokenUrl: string }>({ op: "start", latencyMs: setting.latencyMs, ...CLIENT });
  const email = `backfill-${index}@bench.test`;
  const loaded = await gmail.call<number>({ op: "load", email, count: setting.messages });
  if (loaded !== setting.messages) throw new Error(`The fake Gmail loaded ${loaded} messages, not ${setting.messages}`);
  const google: GoogleOptions = { ...CLIENT, endpoints: { gmailRootUrl: url, tokenUrl } };
  const account = await connectGmailAccount({ code: await gmail.call<string>({ op: "code", email }), redirectUri: REDIRECT_URI, google });
  const row = await insertSyncRun(autocommit(), { accountId: account.id, kind: "backfill", trigger: "manual", sinceDays: 3650, maxMessages: setting.messages });
  const before = await gmail.call<FakeGmailStats>({ op: "stats" });

  const timeline: Timeline = { listing: [], labels: [], fetches: [], applies: [], checkouts };
  const rssBefore = process.memoryUsage().rss;
  const cpuBefore = cpuMs();
  const stopSampling = sampleRss();
  const start = performance.now();
  const gmailProvider = await gmailProviderFor(account.id, { concurrency: setting.concurrency, google });
  const run = await executeSyncRun(row.id, { provider: timedProvider(gmailProvider, timeline), model: null, batchSize: setting.batchSize });
  const end = performance.now();
  const peak = stopSampling();
  const cpu = (cpuMs() - cpuBefore) / 1000;
  checkpoint();
  if (run.status !== "succeeded") throw new Error(`The backfill ${run.id} ended ${run.status}: ${run.error}`);
  if (run.processed !== setting.messages) throw new Error(`The backfill looked at ${run.processed} of ${setting.messages} messages`);

  const after = await gmail.call<FakeGmailStats>({ op: "stats" });
  const rssAfter = process.memoryUsage().rss;
  return {
    setting,
    run,
    split: splitTime(timeline, start, end),
    requests: difference(after.requests, before.requests),
    peakInFlight: after.peakInFlight,
    cpuSeconds: cpu,
    fakeCpuSeconds: after.cpuSeconds - before.cpuSeconds,
    rss: { before: rssBefore, peak, after: rssAfter },
    fetchAlone: options.fetchAlone ? await fetchAlone(gmailProvider, run.id, setting.batchSize) : null,
  };
}

const count = (n: number) => n.toLocaleString("en-US");
const seconds = (ms: number) => (ms / 1000).toFixed(2);
const rate = (outcome: Outcome) => outcome.setting.messages / (outcome.split.total / 1000);
const describe = (s: Setting) => `${s.latencyMs} ms, concurrency ${s.concurrency}, batches of ${s.batchSize}`;

function printDetail(outcome: Outcome, postgres: string): void {
  const { setting, run, split } = outcome;
  console.log(`\nbackfill of ${count(setting.messages)} SpamAssassin messages from the fake Gmail API, end to end`);
  console.log(`(executeSyncRun, stage 1 only; provider concurrency ${setting.concurrency}, batches of ${setting.batchSize}, ${setting.latencyMs} ms added per Gmail request; PostgreSQL ${postgres})`);
  console.log(
    `  ${count(Math.round(rate(outcome)))} messages/s, ${seconds(split.total)} s in all; CPU: this process ${outcome.cpuSeconds.toFixed(2)} s, the fake Gmail ${outcome.fakeCpuSeconds.toFixed(2)} s\n`,
  );
  const row = (label: string, ms: number) => [label, seconds(ms), ((100 * ms) / split.total).toFixed(1), (ms / setting.messages).toFixed(3)];
  console.log(
    formatTable(
      ["where the time goes", "s", "%", "ms/message"],
      [
        row("listing (profile + message ids)", split.listing),
        row("labels (find or create the category labels)", split.labels),
        row("database before the batches (lease, run, settings, rules, already triaged)", split.setup),
        row("waiting for messages.get (not overlapped)", split.waitingForFetch),
        row("triage (parse, stage 1, plan; the next batch's answers arrive meanwhile)", split.triage),
        row("apply (batchModify)", split.apply),
        row("record (decisions + actions, one transaction per batch)", split.record),
        row("finish (history id, run, lease)", split.finish),
        row("total", split.total),
      ],
    ),
  );
  if (!split.exact) console.log("  (the pool saw other checkouts during the batches: triage and record are approximate)");
  console.log(
    `  fetching: ${seconds(split.fetching)} s for ${split.batches} batches (${(split.fetching / split.batches).toFixed(0)} ms each), ` +
      `${seconds(split.fetching - split.waitingForFetch)} s of it while the previous batch was triaged and recorded`,
  );
  if (outcome.fetchAlone) {
    const alone = outcome.fetchAlone;
    console.log(
      `  the same messages.get again with nothing else running: ${seconds(alone.ms)} s, ${(alone.cpuMs / setting.messages).toFixed(2)} ms of this process's CPU per message (HTTP, JSON, base64)`,
    );
  }
  console.log(
    `  record: ${seconds(split.recordCpu)} s of it is this process's CPU (building and sending the inserts), ` +
      `${(split.recordCpu / split.batches).toFixed(1)} ms per batch of ${setting.batchSize}`,
  );
  console.log("");
  const requests = Object.entries(outcome.requests).sort(([, a], [, b]) => b - a);
  console.log(formatTable(["Gmail API requests", "n"], [...requests.map(([kind, n]) => [kind, count(n)]), ["peak in flight", String(outcome.peakInFlight)]]));
  console.log("");
  console.log(
    formatTable(
      ["run", "n"],
      [
        ["messages looked at", count(run.processed)],
        ["labelled automatically (autoApplied)", count(run.autoApplied)],
        ["waiting in review (queuedForReview)", count(run.queuedForReview)],
        ["decided by stage 1 (stageOneDecided)", count(run.stageOneDecided)],
        ["skipped", count(run.skipped)],
      ],
    ),
  );
  console.log("");
  console.log(
    formatTable(
      ["memory (RSS, this process)", "value"],
      [
        ["before", mib(outcome.rss.before)],
        ["peak during the backfill", mib(outcome.rss.peak)],
        ["after", mib(outcome.rss.after)],
      ],
    ),
  );
}

function printComparison(outcomes: Outcome[]): void {
  console.log(`\nbackfill settings compared: latency added to each Gmail request, provider concurrency, batch size (* = the default)`);
  console.log(`(a fresh fake Gmail and account each; CPU = this process; without latency the fake answers each request at once, so few overlap;`);
  console.log(` the first corpus messages, a different mix from the detailed backfill's: compare the rows with each other)\n`);
  console.log(
    formatTable(
      ["latency", "concurrency", "batch", "messages", "msg/s", "s", "CPU s", "waiting for Gmail s", "triage s", "record s", "peak in flight", "requests", "peak RSS"],
      outcomes.map(({ setting: s, split, cpuSeconds, peakInFlight, requests, rss }, i) => [
        `${s.latencyMs} ms`,
        `${s.concurrency}${s.concurrency === DEFAULT_CONCURRENCY ? "*" : ""}`,
        `${s.batchSize}${s.batchSize === SYNC_BATCH_SIZE ? "*" : ""}`,
        count(s.messages),
        count(Math.round(rate(outcomes[i]!))),
        seconds(split.total),
        cpuSeconds.toFixed(2),
        seconds(split.waitingForFetch),
        seconds(split.triage),
        seconds(split.record),
        String(peakInFlight),
        count(Object.values(requests).reduce((a, b) => a + b, 0)),
        mib(rss.peak),
      ]),
    ),
  );
}

/** One change at a time from the defaults, at once and with `latencyMs` per Gmail request. */
function comparedSettings(options: BackfillOptions): Setting[] {
  const at = (latencyMs: number, concurrency: number, batchSize: number, messages = options.compare): Setting => ({ latencyMs, concurrency, batchSize, messages });
  const settings = [
    at(0, 1, SYNC_BATCH_SIZE),
    at(0, DEFAULT_CONCURRENCY, SYNC_BATCH_SIZE),
    at(0, 16, SYNC_BATCH_SIZE),
    at(0, DEFAULT_CONCURRENCY, 50),
    at(0, DEFAULT_CONCURRENCY, 250),
  ];
  if (options.latencyMs > 0) {
    settings.push(
      // One request at a time pays every round trip in turn: a tenth of the messages says as much, sooner.
      at(options.latencyMs, 1, SYNC_BATCH_SIZE, Math.max(1, Math.round(options.compare / 10))),
      at(options.latencyMs, DEFAULT_CONCURRENCY, SYNC_BATCH_SIZE),
      at(options.latencyMs, 16, SYNC_BATCH_SIZE),
      at(options.latencyMs, DEFAULT_CONCURRENCY, 250),
      at(options.latencyMs, 16, 250),
    );
  }
  return settings;
}

export async function benchBackfill(options: BackfillOptions): Promise<void> {
  // Checked now rather than after a minute of setting up.
  const corpusSize = (JSON.parse(await readFile(path.join(corpusDirectory(), "file_list.json"), "utf8")) as unknown[]).length;
  const wanted = Math.max(options.messages, options.compare);
  if (wanted > corpusSize) throw new Error(`The corpus has ${count(corpusSize)} messages: --messages and --compare can be at most that, not ${count(wanted)}`);
  checkpoint("backfill: starting a throw-away PostgreSQL and the fake Gmail …");
  const cluster = await startTestCluster();
  onCleanup("stop the PostgreSQL cluster", () => cluster.stop());
  const database = await createTestDatabase(cluster);
  onCleanup("drop the benchmark database", () => database.drop());
  const gmail = startGmailProcess();
  onCleanup("stop the fake Gmail", () => gmail.stop());
  // Before the config is first read: a throw-away key for the tokens, stage 1 only, quiet logs.
  // Each fake Gmail has its own port, so its endpoints are passed to each call instead.
  Object.assign(process.env, {
    DATABASE_URL: database.url,
    ENCRYPTION_KEYS: `bench:${randomBytes(32).toString("base64")}`,
    TRIAGE_MODEL: "off",
    // The engine's own speed: no pacing to Gmail's quota (GMAIL_MESSAGES_PER_SECOND, 40 by default).
    GMAIL_MESSAGES_PER_SECOND: "0",
    LOG_LEVEL: process.env.LOG_LEVEL ?? "warn",
  });
  resetConfigForTests();
  onCleanup("disconnect from the database", () => disconnectDb());
  const checkouts = watchCheckouts(getPool());
  const postgres = (await getDb().$queryRaw<{ v: string }[]>`SELECT current_setting('server_version') AS v`)[0]!.v;

  const defaults = (messages: number): Setting => ({ latencyMs: 0, concurrency: DEFAULT_CONCURRENCY, batchSize: SYNC_BATCH_SIZE, messages });
  let index = 0;
  checkpoint("backfill: warming up (500 messages, not reported) …");
  await backfill(gmail, checkouts, defaults(Math.min(500, options.messages)), index++);
  checkpoint(`backfill: ${count(options.messages)} messages, ${describe(defaults(options.messages))} …`);
  printDetail(await backfill(gmail, checkouts, defaults(options.messages), index++, { fetchAlone: true }), postgres);

  if (options.compare === 0) return;
  const settings = comparedSettings(options);
  const outcomes: Outcome[] = [];
  for (const [i, setting] of settings.entries()) {
    checkpoint(`backfill: setting ${i + 1} of ${settings.length}: ${count(setting.messages)} messages, ${describe(setting)} …`);
    outcomes.push(await backfill(gmail, checkouts, setting, index++));
  }
  printComparison(outcomes);
}
