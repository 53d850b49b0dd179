import pino, { type Logger } from "pino";
import { getConfig } from "@/lib/config";
import { currentRequestContext } from "@/lib/request-context";

// Structured JSON logs on stdout. Every line carries the request id of the request it belongs to.
// Fields that may hold secrets are redacted wherever they appear.

export const REDACTED_PATHS = [
  "password",
  "*.password",
  "passwordHash",
  "*.passwordHash",
  "secret",
  "*.secret",
  "token",
  "*.token",
  "accessToken",
  "*.accessToken",
  "refreshToken",
  "*.refreshToken",
  "authorization",
  "*.authorization",
  "headers.authorization",
  "headers.cookie",
  "cookie",
  "*.cookie",
];

let root: Logger | undefined;

function createRoot(): Logger {
  const config = getConfig();
  return pino({
    level: config.logLevel,
    base: { service: "personal-automations" },
    timestamp: pino.stdTimeFunctions.isoTime,
    redact: { paths: REDACTED_PATHS, censor: "[redacted]" },
    formatters: { level: (label) => ({ level: label }) },
    mixin() {
      const context = currentRequestContext();
      return context ? { requestId: context.requestId } : {};
    },
  });
}

export function getLogger(bindings?: Record<string, unknown>): Logger {
  root ??= createRoot();
  return bindings ? root.child(bindings) : root;
}
