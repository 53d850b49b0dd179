import path from "node:path";
import { z } from "zod";
import { trustedProxiesProblem } from "@/lib/http/trusted-proxies";

// The one place that reads process.env. Everything else asks getConfig(), so a bad variable is
// reported once, at start-up, by name. Every variable here is documented in .env.example.

const optionalString = z
  .string()
  .trim()
  .transform((v) => (v === "" ? undefined : v))
  .optional();

const intFromEnv = (fallback: number, min: number, max: number) =>
  z.coerce.number().int().min(min).max(max).default(fallback);

/** "on"/"off" (also 1/0, true/false, yes/no); empty or unset = the default. */
const onOff = (fallback: boolean) =>
  optionalString
    .pipe(z.enum(["on", "off", "1", "0", "true", "false", "yes", "no"], { error: "must be on or off" }).optional())
    .transform((v) => (v === undefined ? fallback : ["on", "1", "true", "yes"].includes(v)));

const schema = z
  .object({
    NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
    DATABASE_URL: optionalString.pipe(
      z.url({ protocol: /^postgres(ql)?$/, error: "must be a postgres:// or postgresql:// URL" }).optional(),
    ),
    DATA_DIR: z.string().default(".data"),
    EMBEDDED_PG_PORT: intFromEnv(54329, 1024, 65535),
    PORT: intFromEnv(3000, 1, 65535),
    /** Unset: http://localhost:$PORT (see parseConfig). */
    APP_URL: z.url().optional(),
    AUTH_SECRET: optionalString.pipe(z.string().min(32, "must be at least 32 characters").optional()),
    SESSION_MAX_AGE_HOURS: intFromEnv(12, 1, 24 * 30),
    SIGN_IN_MAX_FAILURES: intFromEnv(5, 1, 1000),
    SIGN_IN_WINDOW_MINUTES: intFromEnv(15, 1, 24 * 60),
    // Agent tokens: access tokens live minutes, refresh tokens days; failed token requests per
    // client id per 15 minutes before 429 (the per-address limit is four times wider).
    AGENT_ACCESS_TOKEN_MINUTES: intFromEnv(15, 1, 24 * 60),
    AGENT_REFRESH_TOKEN_DAYS: intFromEnv(30, 1, 365),
    AGENT_TOKEN_RATE_LIMIT: intFromEnv(10, 1, 1000),
    // Reverse proxies whose X-Forwarded-For is believed (addresses, CIDR ranges, "loopback",
    // "private"); unset = none, the caller is the connection's peer. See lib/http/ip.ts.
    TRUSTED_PROXIES: optionalString,
    OWNER_EMAIL: z.email().default("owner@example.com"),
    GOOGLE_CLIENT_ID: optionalString,
    GOOGLE_CLIENT_SECRET: optionalString,
    // Gmail: overrides of Google's endpoints (a proxy, or a fake server in development); unset = Google's.
    GMAIL_API_URL: optionalString.pipe(z.url().optional()),
    GOOGLE_TOKEN_URL: optionalString.pipe(z.url().optional()),
    GOOGLE_AUTH_URL: optionalString.pipe(z.url().optional()),
    // Gmail push: the Pub/Sub topic users.watch publishes to (projects/<p>/topics/<t>); unset = no
    // push, mailboxes are polled every GMAIL_POLL_MINUTES instead (0 = never).
    GMAIL_PUBSUB_TOPIC: optionalString.pipe(z.string().regex(/^projects\/[^/]+\/topics\/[^/]+$/, "must look like projects/<project>/topics/<topic>").optional()),
    // The push subscription's OIDC token: its audience and the service account that signs it.
    // Both must be set for /api/gmail/push to accept anything (it fails closed otherwise).
    GMAIL_PUSH_AUDIENCE: optionalString,
    GMAIL_PUSH_SERVICE_ACCOUNT: optionalString.pipe(z.email().optional()),
    // Where Google's OIDC signing certificates are fetched from (a fake server in tests).
    GOOGLE_OIDC_CERTS_URL: optionalString.pipe(z.url().optional()),
    GMAIL_POLL_MINUTES: intFromEnv(5, 0, 24 * 60),
    // messages.get calls per second per mailbox (Gmail's quota allows about 50); 0 = no limit.
    GMAIL_MESSAGES_PER_SECOND: intFromEnv(40, 0, 10_000),
    // Triage: the first backfill's reach, and the model for what stage 1 leaves ambiguous
    // (defaults to CHAT_DEFAULT_MODEL; "off" = stage 1 only, its best guess waits in review).
    TRIAGE_BACKFILL_DAYS: intFromEnv(30, 1, 365),
    TRIAGE_BACKFILL_MAX: intFromEnv(2_000, 1, 50_000),
    TRIAGE_MODEL: optionalString,
    // At most this many model calls per sync run; past it, ambiguous mail keeps the heuristics'
    // guess and waits in review (a large backfill cannot run up the model bill).
    TRIAGE_MODEL_MAX_CALLS_PER_RUN: intFromEnv(200, 0, 100_000),
    SENTRY_DSN: optionalString.pipe(z.url().optional()),
    SENTRY_ENVIRONMENT: optionalString,
    SENTRY_TRACES_SAMPLE_RATE: z.coerce.number().min(0).max(1).default(0),
    // API requests answered by their route handlers without Next.js's router (lib/http/direct-dispatch.ts);
    // "off" sends everything through Next.js.
    DIRECT_API: onOff(true),
    // Seconds a session or agent token check is kept while nothing changed it (lib/auth/auth-changes.ts);
    // 0 = every request reads the database.
    AUTH_CACHE_SECONDS: intFromEnv(5, 0, 60),
    // Prometheus: GET /api/metrics answers only with this bearer token (unset = the endpoint is off).
    METRICS_TOKEN: optionalString.pipe(z.string().min(16, "must be at least 16 characters").optional()),
    // OpenTelemetry: traces go over OTLP/HTTP to <endpoint>/v1/traces only when this is set.
    OTEL_EXPORTER_OTLP_ENDPOINT: optionalString.pipe(z.url().optional()),
    OTEL_SERVICE_NAME: z.string().trim().min(1).default("personal-automations"),
    // Which new traces are kept (parent-based: a sampled caller's trace is always continued): every
    // one up to OTEL_TRACES_PER_SECOND a second, and OTEL_TRACES_SAMPLE_RATIO of those beyond.
    OTEL_TRACES_PER_SECOND: intFromEnv(2, 0, 100_000),
    OTEL_TRACES_SAMPLE_RATIO: z.coerce.number().min(0).max(1).default(0.01),
    LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).optional(),
    // Set by scripts/start.ts when it started the embedded PostgreSQL itself.
    PA_EMBEDDED_DATABASE: z.enum(["0", "1"]).default("0"),
    // Tests only (tests/crash): a crash point's name, optionally "@n" for its nth passage, where
    // this process kills itself with SIGKILL (lib/crash-point.ts). Never set it in production.
    PA_CRASH_AT: optionalString.pipe(z.string().regex(/^[a-z-]+:[a-z-]+(@[1-9][0-9]*)?$/, "must look like <area>:<point> or <area>:<point>@<n>").optional()),
    CONTEXT_HUB_DIR: optionalString,
    // Inngest: unset = the in-process driver; INNGEST_DEV = a local dev server ("1" or its URL);
    // INNGEST_EVENT_KEY + INNGEST_SIGNING_KEY = Inngest Cloud, or self-hosted with INNGEST_BASE_URL.
    INNGEST_DEV: optionalString.transform((v) => (v && /^(0|false|no|off)$/i.test(v) ? undefined : v)),
    INNGEST_BASE_URL: optionalString.pipe(z.url().optional()),
    INNGEST_EVENT_KEY: optionalString,
    INNGEST_SIGNING_KEY: optionalString,
    INNGEST_SIGNING_KEY_FALLBACK: optionalString,
    // In-process driver: scheduled runs executing at once in this process (due slots are started
    // in batches of up to this many, one transaction each), and handlers at once per other kind of
    // background work (webhook dispatches, single slot runs, Gmail notifications, triage syncs).
    SCHEDULE_CONCURRENCY: intFromEnv(500, 1, 5_000),
    BACKGROUND_CONCURRENCY: intFromEnv(16, 1, 256),
    // Assistants: any OpenAI-compatible chat completions server. Unset both = chat is off and
    // says how to configure it. OPENAI_BASE_URL alone suits Ollama, llama.cpp and vLLM.
    OPENAI_API_KEY: optionalString,
    OPENAI_BASE_URL: optionalString.pipe(z.url().optional()),
    CHAT_DEFAULT_MODEL: z.string().trim().min(1).default("gpt-4o-mini"),
    // Where notify.send delivers the owner's notifications (an ntfy topic, a Slack/Discord
    // incoming webhook, anything that takes a JSON POST).
    NOTIFY_WEBHOOK_URL: optionalString.pipe(z.url().optional()),
    // Signs notify.send deliveries with Standard Webhooks so the receiver can verify them
    // ("whsec_" + base64 of at least 24 random bytes, e.g. `npm run cli -- webhooks sources create` style).
    NOTIFY_WEBHOOK_SECRET: optionalString.pipe(
      z.string().regex(/^whsec_[A-Za-z0-9+/_-]{32,}={0,2}$/, 'must be "whsec_" followed by base64 of at least 24 random bytes').optional(),
    ),
    // New approvals are announced (through notify.send) in one message per batch: the first waits
    // this long for others to join it.
    APPROVAL_NOTIFY_DELAY_SECONDS: z.coerce.number().int().min(0).max(3600).default(30),
    // Authenticated encryption of secrets at rest: "id:base64key[,id:base64key…]", first = current.
    ENCRYPTION_KEYS: optionalString,
  })
  .superRefine((env, ctx) => {
    if (Boolean(env.INNGEST_EVENT_KEY) !== Boolean(env.INNGEST_SIGNING_KEY) && !env.INNGEST_DEV) {
      ctx.addIssue({
        code: "custom",
        path: [env.INNGEST_EVENT_KEY ? "INNGEST_SIGNING_KEY" : "INNGEST_EVENT_KEY"],
        message: "set both INNGEST_EVENT_KEY and INNGEST_SIGNING_KEY (or INNGEST_DEV for a dev server)",
      });
    }
    if (env.ENCRYPTION_KEYS) {
      const problem = encryptionKeysProblem(env.ENCRYPTION_KEYS);
      if (problem) ctx.addIssue({ code: "custom", path: ["ENCRYPTION_KEYS"], message: problem });
    }
    if (env.TRUSTED_PROXIES) {
      const problem = trustedProxiesProblem(env.TRUSTED_PROXIES);
      if (problem) ctx.addIssue({ code: "custom", path: ["TRUSTED_PROXIES"], message: problem });
    }
    if (Boolean(env.GOOGLE_CLIENT_ID) !== Boolean(env.GOOGLE_CLIENT_SECRET)) {
      ctx.addIssue({
        code: "custom",
        path: [env.GOOGLE_CLIENT_ID ? "GOOGLE_CLIENT_SECRET" : "GOOGLE_CLIENT_ID"],
        message: "set both GOOGLE_CLIENT_ID and GOOGLE_CLIENT_SECRET, or neither",
      });
    }
  });

export type Env = z.infer<typeof schema>;

export type EncryptionKey = { id: string; key: Buffer };

function parseEncryptionKeys(value: string): EncryptionKey[] {
  return value.split(",").map((entry) => {
    const [id = "", material = ""] = entry.trim().split(":");
    return { id, key: Buffer.from(material, "base64") };
  });
}

function encryptionKeysProblem(value: string): string | null {
  const keys = parseEncryptionKeys(value);
  if (keys.some((k) => !/^[a-z0-9_-]{1,32}$/.test(k.id))) return "each entry must be id:base64key with a short lowercase id";
  if (keys.some((k) => k.key.length !== 32)) return "each key must be 32 bytes, base64-encoded (openssl rand -base64 32)";
  if (new Set(keys.map((k) => k.id)).size !== keys.length) return "key ids must be unique";
  return null;
}

export type InngestMode = "in-process" | "dev" | "server";

export type Config = Omit<Env, "APP_URL"> & {
  /** As set, or http://localhost:$PORT. */
  APP_URL: string;
  logLevel: NonNullable<Env["LOG_LEVEL"]>;
  dataDir: string;
  contextHubDir: string;
  googleSignIn: boolean;
  embeddedDatabase: boolean;
  /** How background work (schedules, events) runs; see inngest/dispatch.ts. */
  inngestMode: InngestMode;
  /** True when a model server is configured (OPENAI_API_KEY or OPENAI_BASE_URL). */
  chatModelConfigured: boolean;
  /** Encryption keys, current first; empty when ENCRYPTION_KEYS is unset. */
  encryptionKeys: EncryptionKey[];
};

export class ConfigError extends Error {
  constructor(readonly problems: { variable: string; message: string }[]) {
    super(
      "Invalid configuration:\n" +
        problems.map((p) => `  - ${p.variable}: ${p.message}`).join("\n") +
        "\nSee .env.example for every variable and its meaning.",
    );
    this.name = "ConfigError";
  }
}

export function parseConfig(source: Record<string, string | undefined>): Config {
  // `PORT=` in a .env file or `${PORT}` in compose means "not set": blank values fall back to defaults.
  const present = Object.fromEntries(Object.entries(source).filter(([, value]) => value?.trim()));
  const result = schema.safeParse(present);
  if (!result.success) {
    throw new ConfigError(
      result.error.issues.map((issue) => ({ variable: String(issue.path[0] ?? "?"), message: issue.message })),
    );
  }
  const env = result.data;
  // turbopackIgnore: these are runtime folders, not sources for the build to trace.
  const dataDir = path.resolve(/*turbopackIgnore: true*/ env.DATA_DIR);
  return {
    ...env,
    APP_URL: env.APP_URL ?? `http://localhost:${env.PORT}`,
    dataDir,
    contextHubDir: path.resolve(/*turbopackIgnore: true*/ env.CONTEXT_HUB_DIR ?? path.join(dataDir, "context-hub")),
    googleSignIn: Boolean(env.GOOGLE_CLIENT_ID && env.GOOGLE_CLIENT_SECRET),
    embeddedDatabase: env.PA_EMBEDDED_DATABASE === "1",
    inngestMode: env.INNGEST_DEV ? "dev" : env.INNGEST_SIGNING_KEY ? "server" : "in-process",
    chatModelConfigured: Boolean(env.OPENAI_API_KEY || env.OPENAI_BASE_URL),
    encryptionKeys: env.ENCRYPTION_KEYS ? parseEncryptionKeys(env.ENCRYPTION_KEYS) : [],
    logLevel: env.LOG_LEVEL ?? (env.NODE_ENV === "test" ? "silent" : "info"),
  };
}

let cached: Config | undefined;

export function getConfig(): Config {
  if (!cached) {
    cached = parseConfig(process.env);
    // next-auth v4 reads its base URL from the environment itself.
    process.env.NEXTAUTH_URL ??= cached.APP_URL;
  }
  return cached;
}

/** The secret that signs session tokens; npm start generates one under DATA_DIR when unset. */
export function requireAuthSecret(): string {
  const secret = getConfig().AUTH_SECRET;
  if (!secret) {
    throw new ConfigError([
      { variable: "AUTH_SECRET", message: "is not set; generate one with `openssl rand -base64 32`" },
    ]);
  }
  return secret;
}

/** The database URL, or a clear error when nothing set it (npm start and the test harness do). */
export function requireDatabaseUrl(): string {
  const url = getConfig().DATABASE_URL;
  if (!url) {
    throw new ConfigError([
      { variable: "DATABASE_URL", message: "is not set; start the app with `npm start`, which provides one" },
    ]);
  }
  return url;
}

/** The encryption keys (current first); npm start generates one under DATA_DIR when unset. */
export function requireEncryptionKeys(): EncryptionKey[] {
  const keys = getConfig().encryptionKeys;
  if (keys.length === 0) {
    throw new ConfigError([
      { variable: "ENCRYPTION_KEYS", message: "is not set; e.g. ENCRYPTION_KEYS=k1:$(openssl rand -base64 32)" },
    ]);
  }
  return keys;
}

/** Forget the parsed config; tests that change process.env call this. */
/**
 * The environment for a child process the app starts (the Prisma CLI): this process's own, which
 * it needs whole (PATH, HOME, proxies), with `overrides` on top. The one other place that reads it.
 */
export function childProcessEnv(overrides: Record<string, string>): NodeJS.ProcessEnv {
  return { ...process.env, ...overrides };
}

export function resetConfigForTests(): void {
  cached = undefined;
}
