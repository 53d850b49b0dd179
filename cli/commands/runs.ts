import { validationError } from "@/lib/errors";
import { getRunWithFamily, listRuns, listRunsQuery } from "@/lib/pipelines/list-runs";
import type { RunDto } from "@/lib/pipelines/run-dto";
import { cancelRun } from "@/lib/pipelines/runner";
import { cliActor } from "../actor";
import type { RegisterCommands } from "../context";
import { formatDuration, formatRelative, formatTable, formatTimestamp, indent } from "../format";
import { CLI_INVOCATION } from "../io";

// `pa runs …`: the record of every pipeline run, whoever started it (API, dashboard, chat,
// schedules, events, agents, this CLI). Reading goes through lib/pipelines/list-runs.ts, the
// same queries the API and the dashboard use.

type ListOptions = { pipeline?: string; status?: string; trigger?: string; limit?: string; cursor?: string; json?: boolean };

function describeActor(actor: RunDto["actor"]): string {
  return `${actor.type}:${actor.label ?? actor.id ?? "?"}`;
}

function timestamp(iso: string | null, now: Date): string {
  if (!iso) return "-";
  const date = new Date(iso);
  return `${formatTimestamp(date, "-", { seconds: true })} (${formatRelative(date, now)})`;
}

function summary(run: RunDto): string {
  return `${run.id}  ${run.pipeline}  ${run.status}`;
}

/** The same `runs list` command line with the next page's cursor, ready to copy. */
function nextPageCommand(options: ListOptions, cursor: string): string {
  const args = ["runs", "list"];
  if (options.pipeline) args.push("--pipeline", options.pipeline);
  if (options.status) args.push("--status", options.status);
  if (options.trigger) args.push("--trigger", options.trigger);
  if (options.limit) args.push("--limit", options.limit);
  args.push("--cursor", cursor);
  return `${CLI_INVOCATION} ${args.join(" ")}`;
}

function printRun(run: RunDto, family: { parent: RunDto | null; children: RunDto[]; attempts: RunDto[] }, out: (line: string) => void): void {
  const now = new Date();
  const field = (label: string, value: string) => out(`${`${label}:`.padEnd(14)}${value}`);
  field("Run", run.id);
  field("Pipeline", run.pipeline);
  field("Status", run.status);
  field("Trigger", run.trigger);
  field("Actor", describeActor(run.actor) + (run.actor.id && run.actor.label ? ` (${run.actor.id})` : ""));
  if (run.actor.tokenId) field("Token", run.actor.tokenId);
  field("Request", run.requestId ?? "-");
  field("Idempotency", run.idempotencyKey ?? "-");
  if (run.workKey) {
    field("Work", `${run.workKey} (attempt ${run.attempt} of ${family.attempts.length})`);
    if (family.attempts.length > 1) for (const other of family.attempts) out(`  ${summary(other)}`);
  }
  field("Queued", timestamp(run.queuedAt, now));
  field("Started", timestamp(run.startedAt, now));
  field("Finished", timestamp(run.finishedAt, now));
  field("Duration", formatDuration(run.durationMs));
  field("Timeout", formatDuration(run.timeoutMs));
  field("Parent", family.parent ? summary(family.parent) : "-");
  if (family.children.length === 0) field("Children", "-");
  else {
    field("Children", String(family.children.length));
    for (const child of family.children) out(`  ${summary(child)}`);
  }
  out("Input:");
  for (const line of indent(JSON.stringify(run.input, null, 2))) out(line);
  if (run.status === "succeeded") {
    out("Output:");
    for (const line of indent(JSON.stringify(run.output, null, 2))) out(line);
  }
  if (run.error) {
    out("Error:");
    for (const line of indent(JSON.stringify(run.error, null, 2))) out(line);
  }
}

export const registerRunsCommands: RegisterCommands = (program, context) => {
  const { io } = context;
  const runs = program.command("runs").description("inspect and cancel pipeline runs");

  runs
    .command("list")
    .summary("list recent runs, newest first")
    .description("List pipeline runs, newest first, with filters. Prints the command for the next page when there is one.")
    .option("--pipeline <name>", "only runs of this pipeline")
    .option("--status <statuses>", "only these statuses, comma-separated: queued, running, succeeded, failed, cancelled")
    .option("--trigger <triggers>", "only these triggers, comma-separated: api, dashboard, chat, schedule, event, agent, cli")
    .option("--limit <n>", "how many runs to show, 1-200 (50 unless given)")
    .option("--cursor <run id>", "start after this run (from the previous page)")
    .option("--json", "print JSON ({ runs, nextCursor }) instead of a table")
    .action(async (options: ListOptions) => {
      const { json, ...filters } = options;
      const parsed = listRunsQuery.safeParse(filters);
      if (!parsed.success) throw validationError(parsed.error, "The filter");
      await context.connectDatabase();
      const page = await listRuns(parsed.data);
      if (json) {
        io.out(JSON.stringify(page, null, 2));
        return;
      }
      if (page.runs.length === 0) {
        const filtered = Boolean(options.pipeline || options.status || options.trigger || options.cursor);
        io.out(filtered ? "No runs match." : `No runs yet. Try \`${CLI_INVOCATION} pipelines run system.echo\`.`);
        return;
      }
      const now = new Date();
      const rows = page.runs.map((run) => [
        run.id,
        run.pipeline,
        run.status,
        run.trigger,
        describeActor(run.actor),
        formatRelative(new Date(run.queuedAt), now),
        formatDuration(run.durationMs),
      ]);
      for (const line of formatTable(["ID", "PIPELINE", "STATUS", "TRIGGER", "ACTOR", "QUEUED", "DURATION"], rows)) io.out(line);
      if (page.nextCursor) io.out(`More: ${nextPageCommand(options, page.nextCursor)}`);
    });

  runs
    .command("show")
    .summary("show one run in full")
    .description("Show every field of one run: who started it and how, its timing, input, output or error, parent and children.")
    .argument("<id>", "the run's id (run_…)")
    .option("--json", "print JSON ({ run, parent, children, attempts }) instead of text")
    .action(async (id: string, options: { json?: boolean }) => {
      await context.connectDatabase();
      const { run, parent, children, attempts } = await getRunWithFamily(id);
      if (options.json) io.out(JSON.stringify({ run, parent, children, attempts }, null, 2));
      else printRun(run, { parent, children, attempts }, io.out);
    });

  runs
    .command("cancel")
    .summary("cancel a queued run")
    .description(
      "Cancel a run that has not finished. A queued run is cancelled at once; one executing in the app server stops at its " +
        "timeout, and a finished run cannot be cancelled (both exit 1).",
    )
    .argument("<id>", "the run's id (run_…)")
    .action(async (id: string) => {
      await context.connectDatabase();
      const run = await cancelRun(id, cliActor().label);
      io.out(
        run.status === "cancelled"
          ? `Cancelled ${run.id} (${run.pipeline}).`
          : `${run.id} (${run.pipeline}) ${run.status} before it could be cancelled.`,
      );
    });
};
