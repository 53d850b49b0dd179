import { describe, expect, it } from "vitest";
import { z } from "zod";
import { AppError, ERROR_STATUS, fieldIssues, isAppError, validationError } from "@/lib/errors";

describe("AppError", () => {
  it.each([
    ["bad_request", 400],
    ["validation_failed", 400],
    ["unauthorized", 401],
    ["forbidden", 403],
    ["not_found", 404],
    ["conflict", 409],
    ["unsupported_media_type", 415],
    ["uri_too_long", 414],
    ["rate_limited", 429],
    ["internal", 500],
    ["unavailable", 503],
  ] as const)("maps %s to HTTP %i", (code, status) => {
    expect(new AppError(code, "x").status).toBe(status);
    expect(ERROR_STATUS[code]).toBe(status);
  });

  it("serialises to the body clients see, leaving out absent details", () => {
    expect(JSON.parse(JSON.stringify(new AppError("not_found", "No such run")))).toEqual({
      code: "not_found",
      message: "No such run",
    });
    expect(new AppError("rate_limited", "Slow down", { retryAfterSeconds: 60 }).toJSON()).toEqual({
      code: "rate_limited",
      message: "Slow down",
      details: { retryAfterSeconds: 60 },
    });
  });

  it("keeps the cause for the logs without putting it in the body", () => {
    const cause = new Error("connection refused to 10.0.0.5");
    const error = new AppError("unavailable", "The database is unavailable", undefined, { cause });
    expect(error.cause).toBe(cause);
    expect(JSON.stringify(error)).not.toContain("10.0.0.5");
  });

  it("is told apart from other errors", () => {
    expect(isAppError(new AppError("conflict", "x"))).toBe(true);
    expect(isAppError(new Error("x"))).toBe(false);
    expect(isAppError({ code: "conflict", message: "x", status: 409 })).toBe(false);
  });
});

describe("fieldIssues", () => {
  const schema = z.object({
    email: z.email("must be a valid email address"),
    a: z.object({ b: z.array(z.string().min(2, "too short")) }),
    matrix: z.array(z.array(z.number())),
  });

  it("flattens nested object and array paths into a.b[0] form", () => {
    const result = schema.safeParse({ email: "nope", a: { b: ["ok", "x"] }, matrix: [[1], [2, "three"]] });
    expect(result.success).toBe(false);
    const issues = fieldIssues(result.error!);
    expect(issues).toEqual(
      expect.arrayContaining([
        { path: "email", message: "must be a valid email address" },
        { path: "a.b[1]", message: "too short" },
        { path: "matrix[1][1]", message: expect.any(String) },
      ]),
    );
    expect(issues).toHaveLength(3);
  });

  it("uses an empty path for a problem with the value as a whole", () => {
    const result = z.string().safeParse(42);
    expect(fieldIssues(result.error!)).toEqual([{ path: "", message: expect.any(String) }]);
  });
});

describe("validationError", () => {
  it("is a 400 that names the first bad field and carries every issue", () => {
    const schema = z.object({ name: z.string().min(1, "is required"), age: z.number().int("must be whole") });
    const result = schema.safeParse({ name: "", age: 1.5 });
    const error = validationError(result.error!, "Request body");
    expect(error.code).toBe("validation_failed");
    expect(error.status).toBe(400);
    expect(error.message).toBe("Request body is invalid (name: is required)");
    expect(error.details).toEqual({
      issues: [
        { path: "name", message: "is required" },
        { path: "age", message: "must be whole" },
      ],
    });
  });

  it("leaves the path prefix out when the whole value is wrong", () => {
    const result = z.string("must be text").safeParse(1);
    expect(validationError(result.error!).message).toBe("Input is invalid (must be text)");
  });
});
