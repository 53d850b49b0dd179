import { randomUUID } from "node:crypto";
import pg from "pg";
import { getConfig } from "@/lib/config";
import { getPool } from "@/lib/db/client";
import { afterCommit, type Tx } from "@/lib/db/transaction";
import { getLogger } from "@/lib/logger";
import { processGlobal } from "@/lib/process-global";

// Sessions and agent access tokens, checked without a database round trip while nothing can have
// changed them. A signed-in request used to read the user (and the session's revocation) on every
// call, and an agent's every call its token and agent rows: one of the two or three statements a
// typical API call makes. Now a check's answer is kept for AUTH_CACHE_SECONDS (default 5), and
// dropped the moment anything it depends on changes:
//   - in this process, by the write itself: the repositories that revoke, disable, delete or
//     re-scope call authChangedAfterCommit(tx), which drops every kept answer once the write has
//     committed, so the very next request is checked against the database again;
//   - in every instance, by PostgreSQL: triggers on users, agents, agent_tokens and
//     revoked_sessions (prisma/migrations/…_auth_change_notify) NOTIFY `pa_auth_changed` at commit,
//     and each process LISTENs on a connection of its own. That also covers changes made by hand.
// Answers are kept only while that connection is listening: before it is up, after it drops and
// until it is back (when everything kept is dropped again), every request reads the database, as
// before. An answer loaded while a change was being made is not kept (see `generation`). Only
// answers that let a request in are kept; a refused token or session is read again each time.

export const AUTH_CHANNEL = "pa_auth_changed";
const RECONNECT_MS = { first: 500, max: 30_000 };
/** Kept answers at most; beyond it the oldest go (a person has a few sessions, an agent a token). */
const MAX_ENTRIES = 10_000;

type Entry = { value: unknown; until: number };
type State = {
  /** Bumped by every change: an answer loaded under an older generation is not kept. */
  generation: number;
  listening: boolean;
  client: pg.Client | null;
  stopped: boolean;
  retry: NodeJS.Timeout | null;
  retryMs: number;
  caches: Map<string, Map<string, Entry>>;
  /** authNoticesHeard's markers, waiting to come back. */
  heard: Map<string, () => void>;
};

const state = processGlobal<State>("auth-changes", () => ({
  generation: 0,
  listening: false,
  client: null,
  stopped: true,
  retry: null,
  retryMs: RECONNECT_MS.first,
  caches: new Map(),
  heard: new Map(),
}));

const log = () => getLogger({ component: "auth-changes" });

/** Drops every kept answer, here and now. */
export function authChanged(): void {
  state.generation++;
  for (const cache of state.caches.values()) cache.clear();
}

/** Whether answers are being kept (listening, and AUTH_CACHE_SECONDS is not 0). */
export function authCacheActive(): boolean {
  return state.listening && getConfig().AUTH_CACHE_SECONDS > 0;
}

/**
 * A named cache of checks that let a request in. `load` reads the database; `fresh` says whether a
 * kept answer still holds by itself (e.g. the token has not expired since).
 */
export function authCache<V>(name: string) {
  const entries = state.caches.get(name) ?? new Map<string, Entry>();
  state.caches.set(name, entries);
  return {
    async get(key: string, load: () => Promise<V>, keep: (value: V) => boolean, fresh: (value: V, now: number) => boolean = () => true): Promise<V> {
      if (!authCacheActive()) return load();
      const now = Date.now();
      const kept = entries.get(key);
      if (kept && kept.until > now && fresh(kept.value as V, now)) return kept.value as V;
      if (kept) entries.delete(key);
      const generation = state.generation;
      const value = await load();
      // A change committed while this was read (its notice came in meanwhile) may not be in it.
      if (generation === state.generation && authCacheActive() && keep(value)) {
        if (entries.size >= MAX_ENTRIES) entries.delete(entries.keys().next().value!);
        entries.set(key, { value, until: Date.now() + getConfig().AUTH_CACHE_SECONDS * 1000 });
      }
      return value;
    },
    size: () => entries.size,
  };
}

/** For repositories, after a write that can end a session or narrow an agent's access. */
export function authChangedAfterCommit(tx: Tx): void {
  // Now, so that nothing read before the write is kept meanwhile; and once it has committed, so
  // that nothing read before the commit is kept either (in autocommit it already has).
  authChanged();
  afterCommit(tx, authChanged);
}

/**
 * LISTENs for auth changes on a connection of its own, reconnecting with backoff when it drops.
 * Until it listens, nothing is kept. Idempotent.
 */
export async function startAuthChangeListener(): Promise<void> {
  if (!state.stopped) return;
  state.stopped = false;
  if (getConfig().AUTH_CACHE_SECONDS === 0) return;
  await connect();
}

async function connect(): Promise<void> {
  const config = getConfig();
  if (state.stopped || !config.DATABASE_URL) return;
  const client = new pg.Client({ connectionString: config.DATABASE_URL, keepAlive: true, application_name: "pa-auth-changes" });
  const lost = (error?: Error) => {
    if (state.client !== client) return;
    state.client = null;
    state.listening = false;
    authChanged();
    client.removeAllListeners();
    client.on("error", () => undefined);
    void client.end().catch(() => undefined);
    if (state.stopped) return;
    log().warn({ err: error }, "lost the auth-change connection; every request reads the database until it is back");
    scheduleReconnect();
  };
  state.client = client;
  client.on("notification", (message) => {
    if (message.channel !== AUTH_CHANNEL) return;
    authChanged();
    state.heard.get(message.payload ?? "")?.();
  });
  client.on("error", lost);
  client.on("end", () => lost());
  try {
    await client.connect();
    await client.query(`LISTEN ${AUTH_CHANNEL}`);
  } catch (error) {
    lost(error instanceof Error ? error : new Error(String(error)));
    return;
  }
  if (state.client !== client) return;
  // Whatever changed while nobody listened is not in what was kept: start empty.
  authChanged();
  state.listening = true;
  state.retryMs = RECONNECT_MS.first;
}

function scheduleReconnect(): void {
  if (state.retry || state.stopped) return;
  const delay = state.retryMs;
  state.retryMs = Math.min(state.retryMs * 2, RECONNECT_MS.max);
  state.retry = setTimeout(() => {
    state.retry = null;
    void connect();
  }, delay);
  state.retry.unref();
}

/** Stops listening (tests, shutdown); nothing is kept afterwards. */
export async function stopAuthChangeListener(): Promise<void> {
  state.stopped = true;
  if (state.retry) clearTimeout(state.retry);
  state.retry = null;
  const client = state.client;
  state.client = null;
  state.listening = false;
  authChanged();
  if (client) {
    client.removeAllListeners();
    client.on("error", () => undefined);
    await client.end().catch(() => undefined);
  }
}

/**
 * Resolves once every change committed before the call has been heard (a marker sent now comes
 * back after them: PostgreSQL delivers notices in commit order). For tests; false when not listening.
 */
export async function authNoticesHeard(timeoutMs = 5_000): Promise<boolean> {
  if (!state.listening) return false;
  const marker = `heard:${randomUUID()}`;
  const heard = new Promise<boolean>((resolve) => {
    const timer = setTimeout(() => (state.heard.delete(marker), resolve(false)), timeoutMs);
    state.heard.set(marker, () => (clearTimeout(timer), state.heard.delete(marker), resolve(true)));
  });
  await getPool().query("SELECT pg_notify($1, $2)", [AUTH_CHANNEL, marker]);
  return heard;
}

/** For tests: the listening connection's backend pid (to end it from the outside), or null. */
export function authListenerPid(): number | null {
  return (state.client as unknown as { processID?: number } | null)?.processID ?? null;
}
