import pino, { type Logger } from "pino";
import { getConfig } from "@/lib/config";
import { currentRequestContext } from "@/lib/request-context";

// Structured JSON logs on stdout. Every line carries the request id of the request it belongs to.
// Fields that may hold secrets are redacted up to two levels deep; never log whole credential objects.

const SECRET_KEYS = [
  "password",
  "passwordHash",
  "secret",
  "clientSecret",
  "client_secret",
  "token",
  "accessToken",
  "access_token",
  "refreshToken",
  "refresh_token",
  "idToken",
  "id_token",
  "authorization",
  "cookie",
];

// Top level, one and two levels down (e.g. `err.config.headers`, `account.tokens.access_token`).
export const REDACTED_PATHS = SECRET_KEYS.flatMap((key) => [key, `*.${key}`, `*.*.${key}`]);

let root: Logger | undefined;
let routing: { level?: string; destination?: pino.DestinationStream } = {};

/** The logger every module gets through getLogger; tests pass a destination to read what it writes. */
export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  const options: pino.LoggerOptions = {
    level,
    base: { service: "personal-automations" },
    timestamp: pino.stdTimeFunctions.isoTime,
    redact: { paths: REDACTED_PATHS, censor: "[redacted]" },
    formatters: { level: (label) => ({ level: label }) },
    mixin() {
      const context = currentRequestContext();
      return context ? { requestId: context.requestId } : {};
    },
  };
  return destination ? pino(options, destination) : pino(options);
}

/**
 * For a process whose stdout is its output (the CLI): where logs go and from which level, instead of
 * stdout and LOG_LEVEL. Replaces the logger, so call it before the work starts.
 */
export function configureLogging(options: { level?: string; destination?: pino.DestinationStream }): void {
  routing = options;
  root = undefined;
}

export function getLogger(bindings?: Record<string, unknown>): Logger {
  root ??= createLogger(routing.level ?? getConfig().logLevel, routing.destination);
  return bindings ? root.child(bindings) : root;
}
