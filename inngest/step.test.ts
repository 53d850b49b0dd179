import { RetryAfterError } from "inngest";
import { describe, expect, it } from "vitest";
import { fromInngestStep } from "@/inngest/step";
import { RetryLater } from "@/lib/background/retry-later";

// A stand-in for Inngest's step tools that runs the callback, as Inngest does for a new step.
const inngestLike = { run: (_id: string, fn: () => Promise<unknown>) => fn(), sendEvent: async () => ({ ids: [] }) };

describe("fromInngestStep", () => {
  it("turns RetryLater inside a step into Inngest's RetryAfterError with the same delay", async () => {
    const steps = fromInngestStep(inngestLike);
    const error = (await steps
      .run("s", async () => {
        throw new RetryLater("previous run still going", 15_000);
      })
      .catch((e: unknown) => e)) as RetryAfterError;
    expect(error).toBeInstanceOf(RetryAfterError);
    expect(error.message).toBe("previous run still going");
    // Inngest keeps the delay in seconds.
    expect(error.retryAfter).toBe("15");
  });

  it("passes results and other errors through unchanged", async () => {
    const steps = fromInngestStep(inngestLike);
    expect(await steps.run("s", async () => 42)).toBe(42);
    const boom = new Error("boom");
    await expect(steps.run("s", async () => { throw boom; })).rejects.toBe(boom);
  });
});
