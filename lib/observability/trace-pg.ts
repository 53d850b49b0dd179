import { SpanKind } from "@opentelemetry/api";
import type pg from "pg";
import { inKeptTrace, tracingEnabled, withSpan } from "@/lib/observability/tracing";

// A span for every SQL statement of a kept trace, Prisma's and our own raw ones alike: both run on
// the one pg pool (lib/db/client.ts); a statement outside any trace (a background poll) makes none.
// Only the statement text goes in the span (Prisma and our queries send values as parameters,
// which stay out). Untouched when tracing is off.

// Enough to recognise any statement; the rest would only be bytes to serialise and send.
const MAX_STATEMENT_CHARS = 1_000;

type QueryFn = (...args: unknown[]) => unknown;

function statementOf(config: unknown): string {
  if (typeof config === "string") return config;
  if (config && typeof config === "object" && "text" in config) return String((config as { text: unknown }).text);
  return "";
}

function spanAttributes(statement: string, database: string | undefined) {
  const operation = /^\s*(\w+)/.exec(statement)?.[1]?.toUpperCase() ?? "QUERY";
  return {
    name: `pg ${operation}`,
    attributes: {
      "db.system.name": "postgresql",
      "db.operation.name": operation,
      "db.query.text": statement.slice(0, MAX_STATEMENT_CHARS),
      ...(database ? { "db.namespace": database } : {}),
    },
  };
}

function traceClient(client: pg.PoolClient | pg.Client, database: string | undefined): void {
  const original = client.query.bind(client) as QueryFn;
  (client as unknown as { query: QueryFn }).query = (...args: unknown[]) => {
    const [config] = args;
    // Callback-style calls and submittables (cursors, streams) keep pg's own behaviour.
    const usesCallback = typeof args[args.length - 1] === "function";
    const submittable = Boolean(config && typeof (config as { submit?: unknown }).submit === "function");
    if (usesCallback || submittable || !inKeptTrace()) return original(...args);
    const { name, attributes } = spanAttributes(statementOf(config), database);
    return withSpan(name, attributes, () => original(...args) as Promise<unknown>, { kind: SpanKind.CLIENT });
  };
}

/**
 * Traces the pool's statements. pool.query is re-done as connect → client.query → release so the
 * statement runs in its caller's async context (pg-pool's callbacks would lose it when a query
 * waits for a free connection), and its span has the right parent.
 */
export function tracePool(pool: pg.Pool): void {
  if (!tracingEnabled()) return;
  const database = (pool.options as { database?: string }).database ?? databaseFromUrl(pool.options.connectionString);
  pool.on("connect", (client) => traceClient(client, database));
  const original = pool.query.bind(pool) as QueryFn;
  (pool as unknown as { query: QueryFn }).query = (...args: unknown[]) => {
    if (typeof args[args.length - 1] === "function" || typeof args[0] === "function" || !inKeptTrace()) return original(...args);
    return (async () => {
      const client = await pool.connect();
      // As pg-pool does: a connection error while checked out must not be an unhandled 'error'.
      const onError = () => undefined;
      client.once("error", onError);
      try {
        const result = await (client.query as unknown as QueryFn)(...args);
        client.release();
        return result;
      } catch (error) {
        client.release(error instanceof Error ? error : undefined);
        throw error;
      } finally {
        client.removeListener("error", onError);
      }
    })();
  };
}

function databaseFromUrl(url: string | undefined): string | undefined {
  if (!url) return undefined;
  try {
    return decodeURIComponent(new URL(url).pathname.slice(1)) || undefined;
  } catch {
    return undefined;
  }
}
