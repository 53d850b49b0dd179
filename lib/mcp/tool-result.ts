import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import type { Logger } from "pino";
import { isAppError } from "@/lib/errors";
import { captureException } from "@/lib/observability/sentry";

// Tool results carry the same JSON twice: as text for models that only read `content`, and as
// `structuredContent` for clients that parse it. Failures are results with `isError`, so the
// model sees what went wrong and can correct itself; protocol errors are kept for bad JSON-RPC.

export function jsonResult(value: Record<string, unknown>): CallToolResult {
  return { content: [{ type: "text", text: JSON.stringify(value) }], structuredContent: value };
}

export function errorResult(error: { code: string; message: string; details?: unknown }, extra: Record<string, unknown> = {}): CallToolResult {
  const value = { ...extra, error: error.details === undefined ? { code: error.code, message: error.message } : error };
  return { ...jsonResult(value), isError: true };
}

/** AppErrors are shown as they are; anything else is logged with the request id and shown generically. */
export function resultForThrown(error: unknown, requestId: string, log: Logger): CallToolResult {
  if (isAppError(error)) {
    if (error.status >= 500) log.error({ err: error, cause: error.cause }, error.message);
    return errorResult(error.toJSON());
  }
  log.error({ err: error }, "MCP tool failed");
  captureException(error, { requestId });
  return errorResult({
    code: "internal",
    message: "Something went wrong on our side. The request id identifies it in the logs.",
    details: { requestId },
  });
}
