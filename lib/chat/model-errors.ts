import { APICallError, RetryError } from "ai";
import { getLogger } from "@/lib/logger";
import { modelServerLabel } from "./model";

// Errors from the model server, as one clear sentence for the owner. Provider messages are kept
// (they say what is wrong: an unknown model, a bad key) but trimmed; keys never appear in them.

function rootCause(error: unknown): unknown {
  return RetryError.isInstance(error) ? (error.lastError ?? error) : error;
}

function networkCode(error: unknown): string | null {
  let current: unknown = error;
  for (let depth = 0; current && depth < 5; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === "string" && /^E[A-Z]+/.test(code)) return code;
    current = (current as { cause?: unknown }).cause;
  }
  return null;
}

export function describeModelError(error: unknown): string {
  const cause = rootCause(error);
  getLogger({ component: "chat" }).warn({ err: cause }, "model call failed");
  if (APICallError.isInstance(cause)) {
    if (cause.statusCode === undefined || networkCode(cause)) {
      return `Could not reach the model server (${modelServerLabel()}): ${networkCode(cause) ?? "no response"}.`;
    }
    const detail = cause.message ? `: ${cause.message.slice(0, 300)}` : "";
    return `The model server (${modelServerLabel()}) answered ${cause.statusCode}${detail}`;
  }
  const code = networkCode(cause);
  if (code) return `Could not reach the model server (${modelServerLabel()}): ${code}.`;
  if (cause instanceof Error && cause.name === "AbortError") return "The response was stopped.";
  return "The model call failed. The server log has the details.";
}
