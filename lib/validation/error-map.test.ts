import { describe, expect, it } from "vitest";
import { z } from "zod";
import { fieldIssues, validationError } from "@/lib/errors";

// zod's default wording ("Too small: expected string to have >=1 characters") never reaches a
// user: every issue reads as one short phrase after the field's name.

function messages(schema: z.ZodType, value: unknown): string[] {
  const result = schema.safeParse(value);
  if (result.success) throw new Error("expected the value to be refused");
  return fieldIssues(result.error).map((issue) => `${issue.path} ${issue.message}`.trim());
}

describe("the humane error map", () => {
  it.each([
    [z.object({ name: z.string().min(1) }), { name: "" }, "name must not be empty"],
    [z.object({ name: z.string() }), {}, "name is required"],
    [z.object({ name: z.string().max(3) }), { name: "abcd" }, "name must be at most 3 characters"],
    [z.object({ name: z.string().min(5) }), { name: "abc" }, "name must be at least 5 characters"],
    [z.object({ tags: z.array(z.string()).min(1) }), { tags: [] }, "tags must have at least one item"],
    [z.object({ tags: z.array(z.string()).max(2) }), { tags: ["a", "b", "c"] }, "tags must be at most 2 items"],
    [z.object({ n: z.number().int().min(1) }), { n: 0 }, "n must be 1 or more"],
    [z.object({ n: z.number().max(10) }), { n: 11 }, "n must be 10 or less"],
    [z.object({ n: z.number().int() }), { n: 1.5 }, "n must be a whole number (got a number)"],
    [z.object({ message: z.string() }), { message: 42 }, "message must be text (got a number)"],
    [z.object({ email: z.email() }), { email: "nope" }, "email must be an email address"],
    [z.object({ when: z.iso.datetime() }), { when: "tuesday" }, "when must be a date and time (ISO 8601, e.g. 2026-01-31T09:00:00Z)"],
    [z.object({ tier: z.enum(["a", "b"]) }), { tier: "c" }, 'tier must be one of "a", "b"'],
    [z.strictObject({ a: z.string() }), { a: "x", b: 1 }, 'has a field it does not know: "b"'],
  ])("words %#", (schema, value, expected) => {
    expect(messages(schema, value)).toEqual([expected]);
  });

  it("keeps a message the schema words itself", () => {
    expect(messages(z.object({ slug: z.string().regex(/^[a-z]+$/, "must be lowercase letters") }), { slug: "A" })).toEqual(["slug must be lowercase letters"]);
  });

  it("gives one message per field, and the summary names it once", () => {
    const schema = z.object({ jobKinds: z.array(z.string().min(1)) });
    const result = schema.safeParse({ jobKinds: ["ok", ""] });
    const error = validationError(result.error!, "Agent");
    expect(error.message).toBe("Agent is invalid (jobKinds[1]: must not be empty)");
    expect(error.details).toEqual({ issues: [{ path: "jobKinds[1]", message: "must not be empty" }] });
  });
});
