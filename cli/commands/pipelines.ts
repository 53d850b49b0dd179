import { readFile } from "node:fs/promises";
import { InvalidArgumentError, Option } from "commander";
import { AppError } from "@/lib/errors";
import { allPipelines, describePipeline, getPipeline, type PipelineDescription } from "@/lib/pipelines/catalog";
import { isFinished, toRunDto, type RunDto } from "@/lib/pipelines/run-dto";
import { MAX_WAIT_MS, runPipeline } from "@/lib/pipelines/run-pipeline";
import { cancelRun, waitForRun } from "@/lib/pipelines/runner";
import { cliActor } from "../actor";
import type { CliContext, RegisterCommands } from "../context";
import { formatDuration, formatTable, indent } from "../format";
import { CLI_INVOCATION } from "../io";
import { parseJsonInput } from "../json-input";
import { whileRegistered } from "../registered-instance";

// `pa pipelines …`: what can run, and running it. The run goes through runPipeline like every other
// caller (trigger "cli", a system actor naming the OS user and host) and executes in this process.

const DEFAULT_WAIT_SECONDS = 60;
const MAX_WAIT_SECONDS = 3600;

function parseWaitSeconds(value: string): number {
  const seconds = Number(value);
  if (!Number.isFinite(seconds) || seconds <= 0 || seconds > MAX_WAIT_SECONDS) {
    throw new InvalidArgumentError(`give a number of seconds above 0 and at most ${MAX_WAIT_SECONDS}.`);
  }
  return seconds;
}

function describeAreas(areas: readonly string[]): string {
  return areas.includes("*") ? "all" : areas.join(", ");
}

type InputOptions = { input?: string; inputFile?: string; inputStdin?: boolean };

async function readInput(options: InputOptions, context: CliContext): Promise<unknown> {
  if (options.input !== undefined) return parseJsonInput(options.input, "--input");
  if (options.inputFile !== undefined) {
    let text: string;
    try {
      text = await readFile(options.inputFile, "utf8");
    } catch (error) {
      const reason = (error as NodeJS.ErrnoException).code === "ENOENT" ? "no such file" : (error as Error).message;
      throw new AppError("bad_request", `Cannot read --input-file ${options.inputFile}: ${reason}`);
    }
    return parseJsonInput(text, `--input-file ${options.inputFile}`);
  }
  if (options.inputStdin) {
    if (!context.io.readStdin) throw new AppError("bad_request", "Standard input is not available here");
    const text = await context.io.readStdin(
      `--input-stdin reads JSON from a pipe, e.g. echo '{"message":"hi"}' | ${CLI_INVOCATION} pipelines run system.echo --input-stdin`,
    );
    return parseJsonInput(text, "Standard input");
  }
  // Pipelines whose every field has a default run without input.
  return {};
}

/** The run's failure as one line, e.g. `context.read failed: forbidden: The path … (run run_…)`. */
function runFailure(run: RunDto): AppError {
  const error = run.error;
  const what =
    run.status === "cancelled"
      ? `${run.pipeline} was cancelled: ${error?.message ?? "no details"}`
      : `${run.pipeline} failed: ${error?.code ?? "unknown"}: ${error?.message ?? "no details"}`;
  const issues = (error?.details as { issues?: unknown } | undefined)?.issues;
  return new AppError("run_failed", `${what} (run ${run.id})`, { runId: run.id, issues });
}

function printDescription(description: PipelineDescription, out: (line: string) => void): void {
  out(`${description.name}  ${description.title}`);
  out("");
  out(description.description);
  out("");
  out(`Side effects:  ${description.sideEffects}`);
  out(`Areas:         ${describeAreas(description.areas)}`);
  out(`Timeout:       ${formatDuration(description.timeoutMs)}`);
  out("");
  out("Input schema:");
  for (const line of indent(JSON.stringify(description.inputSchema, null, 2))) out(line);
  out("");
  out("Output schema:");
  for (const line of indent(JSON.stringify(description.outputSchema, null, 2))) out(line);
}

export const registerPipelinesCommands: RegisterCommands = (program, context) => {
  const { io } = context;
  const pipelines = program.command("pipelines").description("list, describe and run pipelines");

  pipelines
    .command("list")
    .summary("list the pipelines that can run")
    .description("List every registered pipeline with its title, side effects, the areas that may use it and its timeout.")
    .option("--json", "print JSON (with input and output schemas) instead of a table")
    .action((options: { json?: boolean }) => {
      const all = allPipelines().map(describePipeline);
      if (options.json) {
        io.out(JSON.stringify(all, null, 2));
        return;
      }
      const rows = all.map((p) => [p.name, p.title, p.sideEffects, describeAreas(p.areas), formatDuration(p.timeoutMs)]);
      for (const line of formatTable(["NAME", "TITLE", "SIDE EFFECTS", "AREAS", "TIMEOUT"], rows)) io.out(line);
    });

  pipelines
    .command("show")
    .summary("describe one pipeline and its input and output")
    .description("Describe one pipeline: what it does, its side effects and timeout, and its input and output JSON Schemas.")
    .argument("<name>", "the pipeline's name, e.g. system.echo")
    .option("--json", "print JSON instead of text")
    .action((name: string, options: { json?: boolean }) => {
      const description = describePipeline(getPipeline(name));
      if (options.json) io.out(JSON.stringify(description, null, 2));
      else printDescription(description, io.out);
    });

  pipelines
    .command("run")
    .summary("run a pipeline and print its output")
    .description(
      "Run a pipeline in this process and print its output as JSON. Input is a JSON object from --input, --input-file or " +
        "--input-stdin ({} when none is given). Exits 1 when the input is invalid or the run fails or is cancelled. " +
        "A run still going after --wait is cancelled, since it cannot outlive this command.",
    )
    .argument("<name>", "the pipeline's name, e.g. system.echo")
    .addOption(new Option("--input <json>", "the input as a JSON object").conflicts(["inputFile", "inputStdin"]))
    .addOption(new Option("--input-file <path>", "read the input from a JSON file").conflicts("inputStdin"))
    .option("--input-stdin", "read the input as JSON from standard input")
    .option("--idempotency-key <key>", "repeat a command with the same key to get the first run back instead of running again (a run a crash interrupted runs again, up to 5 attempts)")
    .option("--wait <seconds>", "how long to wait for the result before cancelling the run", parseWaitSeconds, DEFAULT_WAIT_SECONDS)
    .option("--json", "print the whole run record instead of the output")
    .action(async (name: string, options: InputOptions & { idempotencyKey?: string; wait: number; json?: boolean }) => {
      // Unknown names and bad JSON fail before anything is opened or recorded.
      getPipeline(name);
      const input = await readInput(options, context);
      await context.connectDatabase();

      const actor = cliActor();
      const waitMs = options.wait * 1000;
      const { row, reused } = await whileRegistered(async () => {
        const result = await runPipeline({
          name,
          input,
          trigger: "cli",
          actor,
          idempotencyKey: options.idempotencyKey,
          waitMs: Math.min(waitMs, MAX_WAIT_MS),
        });
        let row = result.run;
        if (!result.finished && waitMs > MAX_WAIT_MS) row = await waitForRun(row.id, waitMs - MAX_WAIT_MS);
        // A replayed run may be executing elsewhere (the server); it is not ours to cancel.
        if (!isFinished(row.status) && !result.reused) row = await cancelRun(row.id, `${actor.label} after waiting ${options.wait} s`);
        return { row, reused: result.reused };
      });

      const run = toRunDto(row);
      if (context.verbose()) {
        io.err(`Run ${run.id} ${run.status} in ${formatDuration(run.durationMs)}${reused ? " (replayed: same idempotency key)" : ""}.`);
      }
      if (options.json) io.out(JSON.stringify(run, null, 2));
      if (!isFinished(run.status)) {
        if (!options.json) io.out(`Run ${run.id} is still running; see \`${CLI_INVOCATION} runs show ${run.id}\`.`);
        return;
      }
      if (run.status !== "succeeded") throw runFailure(run);
      if (!options.json) io.out(JSON.stringify(run.output, null, 2));
    });
};
