import type { FieldIssue } from "@/lib/errors";
import type { RunDto } from "@/lib/pipelines/run-dto";

// What the dashboard's "run this pipeline" server action answers.
export type RunActionResult =
  /** The input did not validate; no run was recorded. */
  | { status: "invalid"; message: string; issues: FieldIssue[] }
  /** The run could not be started (unknown pipeline, session ended, …). */
  | { status: "error"; code: string; message: string }
  /** The run was recorded; `run.status` says whether it finished within the wait. */
  | { status: "started"; run: RunDto };

/** `idempotencyKey`: the same for a retry of one submission, so it runs at most once. */
export type RunAction = (name: string, input: unknown, idempotencyKey?: string) => Promise<RunActionResult>;
