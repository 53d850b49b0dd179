import { CommanderError } from "commander";
import { ConfigError } from "@/lib/config";
import { isAppError, type FieldIssue } from "@/lib/errors";
import { CLI_INVOCATION, type CliIo } from "./io";

// Turns whatever a command threw into what the user reads and the exit code:
//   0 help, 1 the command failed (AppError, configuration, anything unexpected), 2 usage error.

export const EXIT = { ok: 0, failed: 1, usage: 2 } as const;

function issuesOf(details: unknown): FieldIssue[] {
  const issues = (details as { issues?: unknown } | undefined)?.issues;
  return Array.isArray(issues) ? (issues as FieldIssue[]) : [];
}

function errorCode(error: unknown): unknown {
  const withCode = error as { code?: unknown; cause?: { code?: unknown } } | null;
  return withCode?.code ?? withCode?.cause?.code;
}

/** Failures with a known cause and fix, worded for the person at the terminal. */
function explainKnownFailure(error: unknown): string | null {
  const code = errorCode(error);
  if (code === "P2021") {
    return `The database has no tables yet. Apply the migrations with \`${CLI_INVOCATION} db migrate\`.`;
  }
  if (code === "ECONNREFUSED") {
    return "Cannot reach the database (connection refused). Is it running, and is DATABASE_URL right?";
  }
  return null;
}

export function reportError(error: unknown, io: CliIo, verbose: boolean): number {
  // Commander has already printed its own message (or the help).
  if (error instanceof CommanderError) return error.exitCode === 0 ? EXIT.ok : EXIT.usage;

  if (isAppError(error)) {
    io.err(`error: ${error.message}`);
    for (const issue of issuesOf(error.details)) {
      const text = issue.path ? `${issue.path}: ${issue.message}` : issue.message;
      if (!error.message.includes(text)) io.err(`  - ${text}`);
    }
    return EXIT.failed;
  }

  if (error instanceof ConfigError) {
    io.err(error.message);
    return EXIT.failed;
  }

  const known = explainKnownFailure(error);
  const message = error instanceof Error ? error.message : String(error);
  io.err(`error: ${known ?? message}`);
  if (verbose) {
    if (known) io.err(message);
    if (error instanceof Error && error.stack) io.err(error.stack);
  } else if (!known) {
    io.err("(run again with --verbose for details)");
  }
  return EXIT.failed;
}
