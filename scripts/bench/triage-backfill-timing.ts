import type pg from "pg";
import type { EmailProvider } from "@/lib/email/provider";
import { Interrupted, stopped } from "./lifecycle";

// Where a sync run's time goes, seen from outside the engine (lib/triage/sync.ts is not touched):
// a provider that times each Gmail call it passes on, and the pg pool's checkouts, which during
// the batches are the one transaction per batch that records decisions and actions. The batch
// loop is sequential apart from the next batch's fetch, so whatever remains of it is triage.

/** Milliseconds from performance.now(); `cpu`, where kept, is this process's CPU meanwhile. */
export type Span = { start: number; end: number; cpu?: number };

export type Timeline = { listing: Span[]; labels: Span[]; fetches: Span[]; applies: Span[]; checkouts: Span[] };

export type Split = {
  total: number;
  listing: number;
  labels: number;
  /** Before the first batch, outside Gmail calls: lease, run row, settings, rules, the already-triaged check. */
  setup: number;
  /** The batch loop waiting for messages.get (the part of fetching that did not overlap). */
  waitingForFetch: number;
  triage: number;
  apply: number;
  record: number;
  /** This process's CPU during the record transactions (building and sending the statements). */
  recordCpu: number;
  /** After the last batch: history id, run row, lease. */
  finish: number;
  /** All fetching, overlapped or not. */
  fetching: number;
  batches: number;
  /** False when the pool saw other checkouts during the batches than one per batch. */
  exact: boolean;
};

const duration = (spans: Span[]) => spans.reduce((sum, s) => sum + s.end - s.start, 0);

export function cpuMs(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
}

/** Records every checkout of the pool from now on (the record transactions, among others). */
export function watchCheckouts(pool: pg.Pool): Span[] {
  const spans: Span[] = [];
  const open = new Map<pg.PoolClient, { start: number; cpu: number }>();
  pool.on("acquire", (client) => open.set(client, { start: performance.now(), cpu: cpuMs() }));
  pool.on("release", (_error: Error | undefined, client: pg.PoolClient) => {
    const opened = open.get(client);
    open.delete(client);
    if (opened) spans.push({ start: opened.start, end: performance.now(), cpu: cpuMs() - opened.cpu });
  });
  return spans;
}

/**
 * Passes every call on to `inner` and times the ones a sync makes. Once the benchmark is told to
 * stop, the next call throws, so a run in progress ends (failed) within a batch.
 */
export function timedProvider(inner: EmailProvider, timeline: Omit<Timeline, "checkouts">): EmailProvider {
  const timed =
    <A extends unknown[], R>(into: Span[] | null, fn: (...args: A) => Promise<R>) =>
    async (...args: A): Promise<R> => {
      if (stopped.aborted) throw new Interrupted("the benchmark is stopping");
      const start = performance.now();
      try {
        return await fn.apply(inner, args);
      } finally {
        into?.push({ start, end: performance.now() });
      }
    };
  return {
    getProfile: timed(timeline.listing, inner.getProfile),
    listMessageIds: timed(timeline.listing, inner.listMessageIds),
    getRawMessages: timed(timeline.fetches, inner.getRawMessages),
    listHistory: timed(timeline.listing, inner.listHistory),
    getLabels: timed(timeline.labels, inner.getLabels),
    ensureLabel: timed(timeline.labels, inner.ensureLabel),
    getMessageLabels: timed(null, inner.getMessageLabels),
    modifyLabels: timed(timeline.applies, inner.modifyLabels),
    modifyLabelsMany: timed(timeline.applies, inner.modifyLabelsMany),
    watch: timed(null, inner.watch),
    stop: timed(null, inner.stop),
    createDraft: timed(null, inner.createDraft),
    getDraft: timed(null, inner.getDraft),
    listDrafts: timed(null, inner.listDrafts),
    deleteDraft: timed(null, inner.deleteDraft),
    sendDraft: timed(null, inner.sendDraft),
  };
}

/** The split of one run, `start`–`end` being the call to executeSyncRun (and getting its provider). */
export function splitTime(timeline: Timeline, start: number, end: number): Split {
  const { fetches } = timeline;
  const loopStart = fetches[0]?.start ?? end;
  // The engine fetches one batch ahead; each batch is recorded in one transaction before the next
  // one is triaged, so the first checkouts after the first fetch began are those transactions.
  const records = timeline.checkouts.filter((s) => s.start >= loopStart).sort((a, b) => a.start - b.start).slice(0, fetches.length);
  let waitingForFetch = 0;
  let previousEnd = loopStart;
  fetches.forEach((fetch, batch) => {
    waitingForFetch += Math.max(0, fetch.end - previousEnd);
    previousEnd = records[batch]?.end ?? previousEnd;
  });
  const loopEnd = records.at(-1)?.end ?? loopStart;
  const listing = duration(timeline.listing);
  const labels = duration(timeline.labels);
  const apply = duration(timeline.applies);
  const record = duration(records);
  return {
    total: end - start,
    listing,
    labels,
    setup: loopStart - start - listing - labels,
    waitingForFetch,
    triage: loopEnd - loopStart - waitingForFetch - apply - record,
    apply,
    record,
    recordCpu: records.reduce((sum, s) => sum + (s.cpu ?? 0), 0),
    finish: end - loopEnd,
    fetching: duration(fetches),
    batches: fetches.length,
    exact: records.length === fetches.length && records.every((r, batch) => r.start >= fetches[batch]!.end),
  };
}
