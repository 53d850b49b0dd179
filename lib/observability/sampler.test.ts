import { randomBytes } from "node:crypto";
import { ROOT_CONTEXT, SpanKind } from "@opentelemetry/api";
import { SamplingDecision } from "@opentelemetry/sdk-trace-base";
import { describe, expect, it } from "vitest";
import { BudgetSampler } from "@/lib/observability/sampler";

function kept(sampler: BudgetSampler, count: number): number {
  let n = 0;
  for (let i = 0; i < count; i++) {
    const traceId = randomBytes(16).toString("hex"); // the ratio sampler decides on its bits
    const result = sampler.shouldSample(ROOT_CONTEXT, traceId, "GET /api", SpanKind.SERVER, {}, []);
    if (result.decision === SamplingDecision.RECORD_AND_SAMPLED) n++;
  }
  return n;
}

describe("BudgetSampler", () => {
  it("keeps every trace up to the budget, then none at ratio 0", () => {
    let now = 0;
    const sampler = new BudgetSampler(10, 0, () => now);
    expect(kept(sampler, 25)).toBe(10);
    now += 500; // half a second refills half the budget
    expect(kept(sampler, 25)).toBe(5);
    now += 60_000; // a quiet minute does not save up more than one second's budget
    expect(kept(sampler, 25)).toBe(10);
  });

  it("keeps about the ratio of the traces beyond the budget", () => {
    const sampler = new BudgetSampler(0, 0.25, () => 0);
    const share = kept(sampler, 4_000) / 4_000;
    expect(share).toBeGreaterThan(0.2);
    expect(share).toBeLessThan(0.3);
  });

  it("keeps everything at ratio 1, whatever the budget", () => {
    expect(kept(new BudgetSampler(1, 1, () => 0), 100)).toBe(100);
  });
});
