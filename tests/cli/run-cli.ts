import { runCli, type ProgramOptions } from "@/cli/program";

// Runs one `pa …` command line in-process against this test file's database, capturing its output.

export type CliRun = { code: number; out: string; err: string; lines: string[] };

export async function cli(argv: string[], options: { stdin?: string } & ProgramOptions = {}): Promise<CliRun> {
  const out: string[] = [];
  const err: string[] = [];
  const { stdin, ...programOptions } = options;
  const code = await runCli(
    argv,
    {
      out: (line) => void out.push(line),
      err: (line) => void err.push(line),
      readStdin: stdin === undefined ? undefined : async () => stdin,
    },
    programOptions,
  );
  return { code, out: out.join("\n"), err: err.join("\n"), lines: out.join("\n").split("\n") };
}

/** The password a command printed once (`Password: …`, `New password for x: …`, `x  /  …`). */
export function printedPassword(output: string): string {
  const match = output.match(/(?:Password: |New password for \S+: |\s\/\s\s)(\S+)$/m);
  if (!match?.[1]) throw new Error(`no password in output:\n${output}`);
  return match[1];
}
