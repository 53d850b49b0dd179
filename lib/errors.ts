import type { z } from "zod";
import "@/lib/validation/error-map";

// One error type for everything a user may be told. Anything else that escapes a handler becomes a
// generic 500 whose details go to the log with the request id, never to the client.

export const ERROR_STATUS = {
  bad_request: 400,
  validation_failed: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  method_not_allowed: 405,
  conflict: 409,
  // The request was fine but the pipeline run it started failed; the body carries the run.
  run_failed: 422,
  payload_too_large: 413,
  uri_too_long: 414,
  unsupported_media_type: 415,
  rate_limited: 429,
  internal: 500,
  // A service outside this machine (a model server, a webhook) failed or refused.
  bad_gateway: 502,
  unavailable: 503,
  timeout: 504,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;

export type FieldIssue = { path: string; message: string };

export class AppError extends Error {
  readonly status: number;

  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: unknown,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = "AppError";
    this.status = ERROR_STATUS[code];
  }

  toJSON(): { code: ErrorCode; message: string; details?: unknown } {
    return this.details === undefined
      ? { code: this.code, message: this.message }
      : { code: this.code, message: this.message, details: this.details };
  }
}

export function isAppError(error: unknown): error is AppError {
  return error instanceof AppError;
}

/** Flattens zod issues into `{ path: "a.b[0]", message }` pairs a form can show next to its fields. */
export function fieldIssues(error: z.ZodError): FieldIssue[] {
  return error.issues.map((issue) => ({
    path: issue.path.reduce<string>(
      (acc, key) => (typeof key === "number" ? `${acc}[${key}]` : acc ? `${acc}.${String(key)}` : String(key)),
      "",
    ),
    message: issue.message,
  }));
}

export function validationError(error: z.ZodError, what = "Input"): AppError {
  const issues = fieldIssues(error);
  const first = issues[0];
  const summary = first ? `${first.path ? `${first.path}: ` : ""}${first.message}` : "invalid";
  return new AppError("validation_failed", `${what} is invalid (${summary})`, { issues });
}

/** The JSON body of every error response. */
export function errorBodyFor(error: AppError, requestId: string) {
  return { error: error.toJSON(), requestId };
}
