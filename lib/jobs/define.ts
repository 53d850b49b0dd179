import type { z } from "zod";
import type { Fence } from "@/lib/jobs/fence";

// A job kind is work the platform prepares for an agent: a typed input, the result it must hand
// back (checked before the job counts as done), instructions written for the agent, and limits.
// One file per kind in job-kinds/, registered in job-kinds/registry.ts.

export type JobKindDefinition<I extends z.ZodType = z.ZodType, R extends z.ZodType = z.ZodType> = {
  /** Dotted, lowercase: `<area>.<noun>` (e.g. `research.brief`). */
  name: string;
  title: string;
  description: string;
  input: I;
  result: R;
  /**
   * Markdown for the agent, built from the job's input. Every field that comes from outside (an
   * email, a web page, a webhook, whoever created the job) goes through `fence.wrap`; the note
   * explaining the markers is added above the instructions.
   */
  instructions(input: z.output<I>, fence: Fence): string;
  /** How long a claim lasts without a heartbeat. */
  leaseMs: number;
  /** Claims before the job is dead (a lease that expires counts as an attempt). */
  maxAttempts: number;
  /** Longest one attempt may hold the job, heartbeats or not. */
  maxRuntimeMs: number;
  /**
   * What the result becomes: a pipeline (input `{ jobId }`) the platform runs through the runner
   * once the job succeeds, with an idempotency key per job, so it is recorded and never runs twice.
   */
  resultPipeline?: string;
};

export type AnyJobKind = JobKindDefinition<z.ZodType, z.ZodType>;

const NAME_PATTERN = /^[a-z][a-z0-9-]*(\.[a-z][a-z0-9-]*)+$/;

export const DEFAULT_LEASE_MS = 5 * 60_000;
export const DEFAULT_MAX_ATTEMPTS = 3;
export const DEFAULT_MAX_RUNTIME_MS = 30 * 60_000;

export function defineJobKind<I extends z.ZodType, R extends z.ZodType>(
  definition: Omit<JobKindDefinition<I, R>, "leaseMs" | "maxAttempts" | "maxRuntimeMs"> &
    Partial<Pick<JobKindDefinition<I, R>, "leaseMs" | "maxAttempts" | "maxRuntimeMs">>,
): JobKindDefinition<I, R> {
  if (!NAME_PATTERN.test(definition.name)) {
    throw new Error(`Job kind "${definition.name}" must look like "area.noun" (lowercase, dotted)`);
  }
  const kind = { leaseMs: DEFAULT_LEASE_MS, maxAttempts: DEFAULT_MAX_ATTEMPTS, maxRuntimeMs: DEFAULT_MAX_RUNTIME_MS, ...definition };
  if (kind.leaseMs < 1_000 || kind.maxAttempts < 1 || kind.maxRuntimeMs < kind.leaseMs) {
    throw new Error(`Job kind "${kind.name}": leaseMs ≥ 1 s, maxAttempts ≥ 1 and maxRuntimeMs ≥ leaseMs`);
  }
  return kind;
}
