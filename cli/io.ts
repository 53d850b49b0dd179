import { AppError } from "@/lib/errors";

// Where the CLI writes and reads. Commands never touch process.stdout/stdin directly, so tests can
// capture output and feed standard input.

export type CliIo = {
  /** One line of regular output (no trailing newline). */
  out(line: string): void;
  /** One line of diagnostics or errors. */
  err(line: string): void;
  /**
   * Everything on standard input; only read when a command asks for it (--password-stdin,
   * --input-stdin). `whenTerminal` is the error to give when nothing is piped in.
   */
  readStdin?(whenTerminal: string): Promise<string>;
};

/** How people run the CLI; used in hints so they can be copied as they are. */
export const CLI_INVOCATION = "npm run cli --";

export function processIo(): CliIo {
  return {
    out: (line) => void process.stdout.write(`${line}\n`),
    err: (line) => void process.stderr.write(`${line}\n`),
    async readStdin(whenTerminal) {
      if (process.stdin.isTTY) throw new AppError("bad_request", whenTerminal);
      const chunks: Buffer[] = [];
      for await (const chunk of process.stdin) chunks.push(Buffer.from(chunk));
      return Buffer.concat(chunks).toString("utf8");
    },
  };
}

/** The password piped on standard input, without the newline `echo` adds. */
export async function readPasswordFromStdin(io: CliIo): Promise<string> {
  if (!io.readStdin) throw new AppError("bad_request", "Standard input is not available here");
  const password = (
    await io.readStdin(
      `--password-stdin reads the password from a pipe, e.g. printf '%s' "$PASSWORD" | ${CLI_INVOCATION} users create you@example.com --password-stdin`,
    )
  ).replace(/\r?\n$/, "");
  if (password === "") {
    throw new AppError("validation_failed", "No password was given on standard input", {
      issues: [{ path: "password", message: "is empty" }],
    });
  }
  return password;
}
