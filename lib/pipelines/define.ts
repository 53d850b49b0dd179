import type { Logger } from "pino";
import type { z } from "zod";
import type { SqlTransaction } from "@/lib/db/sql-transaction";

// A pipeline is a typed unit of work: zod input and output, plus what the rest of the system
// needs to know to expose it safely (areas, side effects, a timeout). One file per pipeline in
// pipelines/, registered in pipelines/registry.ts.

/** What running it does to the world. "external" ones ask for approval in chat before they run. */
export type SideEffects = "none" | "internal" | "external";

export type RunTriggerName = "api" | "dashboard" | "chat" | "schedule" | "event" | "agent" | "cli";

export type Actor =
  | { type: "user"; id: string; label: string }
  | { type: "agent"; id: string; label: string; tokenId?: string }
  | { type: "schedule"; id: string; label: string }
  | { type: "event"; id: string; label: string }
  | { type: "system"; label: string };

export type PipelineContext = {
  runId: string;
  pipeline: string;
  trigger: RunTriggerName;
  actor: Actor;
  requestId: string | null;
  /**
   * The logical piece of work this run is an attempt at (`webhook:<dispatch>`, `schedule:<slot>`,
   * `job-result:<job>`, a tool call), the same on every retry; null when the caller gave none.
   * Effects outside the database carry it, so a retry after a crash recognises what is done.
   */
  workKey: string | null;
  /** 1 for the first run of its work key, 2 for its first retry, … */
  attempt: number;
  log: Logger;
  /** Aborted when the run times out or is cancelled; pass it to anything that can be interrupted. */
  signal: AbortSignal;
  /**
   * The transaction for the pipeline's own writes, as SQL statements (queryRows, $executeRaw). For a
   * `transactional` pipeline it is the run's one transaction, which also records the outcome;
   * otherwise each call is its own transaction.
   */
  transaction<T>(fn: (tx: SqlTransaction) => Promise<T>): Promise<T>;
  /** Runs another pipeline as a child of this run (same actor and trigger) and returns its output. */
  runPipeline(name: string, input: unknown): Promise<unknown>;
};

export type PipelineDefinition<I extends z.ZodType = z.ZodType, O extends z.ZodType = z.ZodType> = {
  /** Dotted, lowercase: `<domain>.<verb>` (e.g. `notes.capture`). */
  name: string;
  title: string;
  description: string;
  input: I;
  output: O;
  /** Areas whose assistants may use it by default ("*" for every area). */
  areas: readonly string[];
  sideEffects: SideEffects;
  /** Hard limit for one run; the run is failed and its signal aborted when it passes. */
  timeoutMs: number;
  /**
   * Every effect it has is a write to our own database through ctx.transaction: the runner then
   * runs it inside one transaction that also records the run's outcome, so a crash leaves either
   * the run succeeded with its effects or neither (and the retry starts from nothing).
   */
  transactional?: boolean;
  run(input: z.output<I>, ctx: PipelineContext): Promise<z.input<O>>;
};

export type AnyPipeline = PipelineDefinition<z.ZodType, z.ZodType>;

const NAME_PATTERN = /^[a-z][a-z0-9-]*(\.[a-z][a-z0-9-]*)+$/;
export const DEFAULT_TIMEOUT_MS = 30_000;

export function definePipeline<I extends z.ZodType, O extends z.ZodType>(
  definition: Omit<PipelineDefinition<I, O>, "timeoutMs" | "areas" | "sideEffects"> &
    Partial<Pick<PipelineDefinition<I, O>, "timeoutMs" | "areas" | "sideEffects">>,
): PipelineDefinition<I, O> {
  if (!NAME_PATTERN.test(definition.name)) {
    throw new Error(`Pipeline name "${definition.name}" must look like "domain.verb" (lowercase, dotted)`);
  }
  return {
    areas: ["*"],
    sideEffects: "none",
    timeoutMs: DEFAULT_TIMEOUT_MS,
    ...definition,
  };
}
