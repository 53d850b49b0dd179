import type { Attributes, Context, Link, SpanKind } from "@opentelemetry/api";
import { SamplingDecision, TraceIdRatioBasedSampler, type Sampler, type SamplingResult } from "@opentelemetry/sdk-trace-base";

// Which new traces are kept: all of them while the rate is what one person's day produces, and a
// share of the rest when it is more (a burst, a benchmark, an agent fleet). The same shape as AWS
// X-Ray's default rule (a reservoir per second, then a fixed rate): every trace of a quiet
// instance is there to look at, and a busy one does not spend its CPU describing itself.

/**
 * Keeps up to `perSecond` new traces each second (a token bucket, so a quiet minute does not save
 * up a flood), and `ratio` of the traces beyond them. Used as the root sampler of a parent-based
 * one, so it decides only for traces that start here.
 */
export class BudgetSampler implements Sampler {
  private readonly beyond: Sampler;
  private tokens: number;
  private refilledAt: number;

  constructor(
    private readonly perSecond: number,
    private readonly ratio: number,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.beyond = new TraceIdRatioBasedSampler(ratio);
    this.tokens = perSecond;
    this.refilledAt = now();
  }

  shouldSample(context: Context, traceId: string, spanName: string, spanKind: SpanKind, attributes: Attributes, links: Link[]): SamplingResult {
    if (this.take()) return { decision: SamplingDecision.RECORD_AND_SAMPLED };
    return this.beyond.shouldSample(context, traceId, spanName, spanKind, attributes, links);
  }

  private take(): boolean {
    if (this.perSecond <= 0) return false;
    const now = this.now();
    this.tokens = Math.min(this.perSecond, this.tokens + ((now - this.refilledAt) / 1000) * this.perSecond);
    this.refilledAt = now;
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }

  toString(): string {
    return `BudgetSampler{${this.perSecond}/s, then ${this.ratio}}`;
  }
}
