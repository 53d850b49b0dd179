import { Option } from "commander";
import { RetryLater } from "@/lib/background/retry-later";
import { AppError } from "@/lib/errors";
import { CATCH_UP_POLICIES, OVERLAP_POLICIES } from "@/lib/schedules/policies";
import { previewSchedule } from "@/lib/schedules/preview-schedule";
import { getScheduleDetail, listScheduleSlots, listSchedules } from "@/lib/schedules/read-schedules";
import { runScheduleNow } from "@/lib/schedules/run-schedule-now";
import { runScheduleSlot } from "@/lib/schedules/run-slot";
import { createSchedule, deleteSchedule, setScheduleEnabled, updateSchedule } from "@/lib/schedules/save-schedule";
import type { ScheduleDto, SlotDto } from "@/lib/schedules/schedule-dto";
import { cliActor } from "../actor";
import type { RegisterCommands } from "../context";
import { whileRegistered } from "../registered-instance";
import { formatDuration, formatRelative, formatTable } from "../format";
import { CLI_INVOCATION } from "../io";
import { parseJsonInput } from "../json-input";

// `pa schedules …`: pipelines on a cron, stored in the database. The rules (unique names, cron and
// timezone checks, input validated against the pipeline's schema) live in lib/schedules; this
// file parses and prints. The CLI has no background driver, so `run` runs the slot right here.

type DefinitionOptions = {
  name?: string;
  description?: string;
  cron?: string;
  timezone?: string;
  pipeline?: string;
  input?: string;
  catchUp?: string;
  catchUpLimit?: string;
  overlap?: string;
};

function positiveInt(value: string, flag: string): number {
  const n = Number(value);
  if (!Number.isInteger(n)) throw new AppError("bad_request", `${flag} must be a whole number, not "${value}"`);
  return n;
}

/** The fields given on the command line, as the service's body. */
function bodyFrom(options: DefinitionOptions): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  if (options.name !== undefined) body.name = options.name;
  if (options.description !== undefined) body.description = options.description === "" ? null : options.description;
  if (options.cron !== undefined) body.cron = options.cron;
  if (options.timezone !== undefined) body.timezone = options.timezone;
  if (options.pipeline !== undefined) body.pipeline = options.pipeline;
  if (options.input !== undefined) body.input = parseJsonInput(options.input, "--input");
  if (options.catchUp !== undefined) body.catchUp = options.catchUp;
  if (options.catchUpLimit !== undefined) body.catchUpLimit = positiveInt(options.catchUpLimit, "--catch-up-limit");
  if (options.overlap !== undefined) body.overlap = options.overlap;
  return body;
}

function nextRunText(schedule: ScheduleDto, now: Date): string {
  if (!schedule.nextRun) return schedule.enabled ? "never" : "disabled";
  return `${schedule.nextRun.local} (${relativeFuture(new Date(schedule.nextRun.at), now)})`;
}

function relativeFuture(date: Date, now: Date): string {
  const seconds = Math.round((date.getTime() - now.getTime()) / 1000);
  if (seconds <= 0) return "due";
  if (seconds < 60) return `in ${seconds} s`;
  if (seconds < 3600) return `in ${Math.round(seconds / 60)} min`;
  if (seconds < 86_400) return `in ${Math.round(seconds / 3600)} h`;
  return `in ${Math.round(seconds / 86_400)} d`;
}

function printSchedule(schedule: ScheduleDto, out: (line: string) => void): void {
  const field = (label: string, value: string) => out(`${`${label}:`.padEnd(14)}${value}`);
  field("Schedule", `${schedule.name} (${schedule.id})`);
  if (schedule.description) field("Description", schedule.description);
  field("Cron", `${schedule.cron}${schedule.cronDescription ? `  — ${schedule.cronDescription}` : ""}`);
  field("Timezone", schedule.timezone);
  field("Pipeline", schedule.pipeline);
  field("Input", JSON.stringify(schedule.input));
  field("Enabled", schedule.enabled ? "yes" : "no");
  field("Catch-up", schedule.catchUp === "all" ? `all (up to ${schedule.catchUpLimit})` : schedule.catchUp);
  field("Overlap", schedule.overlap);
  field("Next run", nextRunText(schedule, new Date()));
  field("Last run", schedule.lastRun ? `${schedule.lastRun.id} ${schedule.lastRun.status} (${formatRelative(new Date(schedule.lastRun.at))})` : "-");
}

function slotRows(slots: SlotDto[]): string[][] {
  return slots.map((s) => [s.local, s.kind, s.status, s.runId ?? "-", formatDuration(s.durationMs), s.reason ?? ""]);
}

export const registerSchedulesCommands: RegisterCommands = (program, context) => {
  const { io } = context;
  const schedules = program.command("schedules").description("run pipelines on a cron: create, change and inspect schedules");

  schedules
    .command("list")
    .summary("list schedules with their next run")
    .description("List every schedule: its cron and timezone, pipeline, whether it is enabled, its next run (in its timezone) and last run.")
    .option("--json", "print JSON instead of a table")
    .action(async (options: { json?: boolean }) => {
      await context.connectDatabase();
      const all = await listSchedules();
      if (options.json) return io.out(JSON.stringify(all, null, 2));
      if (all.length === 0) {
        io.out(`No schedules yet. Create one with \`${CLI_INVOCATION} schedules create --name … --cron "0 9 * * 1-5" --timezone Europe/Amsterdam --pipeline system.echo\`.`);
        return;
      }
      const now = new Date();
      const rows = all.map((s) => [s.name, s.cron, s.timezone, s.pipeline, s.enabled ? "yes" : "no", nextRunText(s, now), s.lastRun?.status ?? "-"]);
      for (const line of formatTable(["NAME", "CRON", "TIMEZONE", "PIPELINE", "ENABLED", "NEXT RUN", "LAST RUN"], rows)) io.out(line);
    });

  schedules
    .command("show")
    .summary("show one schedule and its next fire times")
    .argument("<name|id>", "the schedule's name or id (sch_…)")
    .option("--json", "print JSON ({ schedule, upcoming, history })")
    .action(async (key: string, options: { json?: boolean }) => {
      await context.connectDatabase();
      const detail = await getScheduleDetail(key, 10);
      if (options.json) return io.out(JSON.stringify(detail, null, 2));
      printSchedule(detail.schedule, io.out);
      io.out("Next fire times:");
      for (const f of detail.upcoming) io.out(`  ${f.local}  (${f.at})`);
    });

  const definitionOptions = (command: ReturnType<typeof schedules.command>, required: boolean) =>
    command
      .option("--description <text>", "what it is for")
      .option("--input <json>", "the pipeline's input as a JSON object (checked against its schema)")
      .addOption(new Option("--catch-up <policy>", "slots missed while the app was down: skip, once (one late run) or all (each, up to the limit)").choices([...CATCH_UP_POLICIES]))
      .option("--catch-up-limit <n>", "with --catch-up all: at most this many late runs (1-100)")
      .addOption(new Option("--overlap <policy>", "when the previous run is still going: skip this slot, or queue it").choices([...OVERLAP_POLICIES]))
      .addOption(new Option("--name <name>", required ? "unique name" : "rename it").makeOptionMandatory(required))
      .addOption(new Option("--cron <expression>", 'five fields: minute hour day-of-month month day-of-week, e.g. "0 9 * * 1-5"').makeOptionMandatory(required))
      .addOption(new Option("--timezone <iana>", "the timezone the cron is read in, e.g. Europe/Amsterdam").makeOptionMandatory(required))
      .addOption(new Option("--pipeline <name>", "the pipeline to run").makeOptionMandatory(required));

  definitionOptions(
    schedules.command("create").summary("create a schedule").description("Create a schedule. Every problem (cron, timezone, pipeline, input) is reported at once."),
    true,
  )
    .option("--disabled", "create it disabled")
    .action(async (options: DefinitionOptions & { disabled?: boolean }) => {
      const body = { ...bodyFrom(options), enabled: !options.disabled };
      await context.connectDatabase();
      const schedule = await createSchedule(body, cliActor().label);
      io.out(`Created ${schedule.name} (${schedule.id}). Next run: ${nextRunText(schedule, new Date())}.`);
    });

  definitionOptions(
    schedules.command("update").summary("change a schedule").description("Change some of a schedule's fields. A new cron or timezone starts it afresh from now.").argument("<name|id>", "the schedule's name or id"),
    false,
  ).action(async (key: string, options: DefinitionOptions) => {
    const body = bodyFrom(options);
    if (Object.keys(body).length === 0) throw new AppError("bad_request", "Nothing to change: give at least one option (see --help)");
    await context.connectDatabase();
    const schedule = await updateSchedule(key, body);
    io.out(`Updated ${schedule.name}. Next run: ${nextRunText(schedule, new Date())}.`);
  });

  for (const [verb, enabled] of [["enable", true], ["disable", false]] as const) {
    schedules
      .command(verb)
      .summary(enabled ? "turn a schedule on (from now: the time it was off is not caught up)" : "turn a schedule off")
      .argument("<name|id>", "the schedule's name or id")
      .action(async (key: string) => {
        await context.connectDatabase();
        const schedule = await setScheduleEnabled(key, enabled);
        io.out(enabled ? `Enabled ${schedule.name}. Next run: ${nextRunText(schedule, new Date())}.` : `Disabled ${schedule.name}.`);
      });
  }

  schedules
    .command("delete")
    .summary("delete a schedule and its history (its runs stay)")
    .argument("<name|id>", "the schedule's name or id")
    .action(async (key: string) => {
      await context.connectDatabase();
      const deleted = await deleteSchedule(key);
      io.out(`Deleted ${deleted.name} (${deleted.id}).`);
    });

  schedules
    .command("run")
    .summary("run a schedule now, here, and wait for the result")
    .description("Record a manual slot and run it in this process (the overlap policy applies). Exits 1 when the run fails.")
    .argument("<name|id>", "the schedule's name or id")
    .action(async (key: string) => {
      await context.connectDatabase();
      let outcome: Awaited<ReturnType<typeof runScheduleSlot>> | null = null;
      let waiting: string | null = null;
      const slot = await whileRegistered(() =>
        runScheduleNow(key, cliActor().label, async (slotId) => {
          try {
            outcome = await runScheduleSlot(slotId);
          } catch (error) {
            if (!(error instanceof RetryLater)) throw error;
            waiting = error.message;
          }
        }),
      );
      const [done] = (await listScheduleSlots(slot.scheduleId, { limit: 200 })).slots.filter((s) => s.id === slot.id);
      if (waiting) {
        io.out(`Slot ${slot.id} is waiting: ${waiting}. The app's scheduler runs it when the previous run ends.`);
        return;
      }
      const result = done ?? slot;
      const run = (outcome as { runId?: string } | null)?.runId ?? result.runId;
      io.out(`Slot ${result.id} ${result.status}${run ? `: run ${run}` : ""}${result.reason ? ` — ${result.reason}` : ""}.`);
      if (run) io.out(`See it with \`${CLI_INVOCATION} runs show ${run}\`.`);
      if (result.status === "failed") throw new AppError("run_failed", `The scheduled run failed${result.reason ? `: ${result.reason}` : ""}`);
    });

  schedules
    .command("history")
    .summary("list a schedule's slots, newest first")
    .description("Every slot of a schedule: on time, caught up or run by hand, its status, why it was skipped, and its run.")
    .argument("<name|id>", "the schedule's name or id")
    .option("--limit <n>", "how many slots (1-200)", "20")
    .option("--json", "print JSON ({ slots, nextCursor })")
    .action(async (key: string, options: { limit: string; json?: boolean }) => {
      await context.connectDatabase();
      const page = await listScheduleSlots(key, { limit: positiveInt(options.limit, "--limit") });
      if (options.json) return io.out(JSON.stringify(page, null, 2));
      if (page.slots.length === 0) return io.out(`No slots yet. Run it now with \`${CLI_INVOCATION} schedules run ${key}\`.`);
      for (const line of formatTable(["SLOT", "KIND", "STATUS", "RUN", "DURATION", "REASON"], slotRows(page.slots))) io.out(line);
    });

  schedules
    .command("preview")
    .summary("show when a cron expression fires, in a timezone")
    .requiredOption("--cron <expression>", "five fields, e.g. \"30 2 * * *\"")
    .requiredOption("--timezone <iana>", "e.g. Europe/Amsterdam")
    .option("--count <n>", "how many fire times (1-50)", "5")
    .option("--json", "print JSON")
    .action(async (options: { cron: string; timezone: string; count: string; json?: boolean }) => {
      const preview = previewSchedule({ cron: options.cron, timezone: options.timezone, count: positiveInt(options.count, "--count") });
      if (options.json) return io.out(JSON.stringify(preview, null, 2));
      if (preview.description) io.out(`${preview.description} (${preview.timezone})`);
      for (const f of preview.fireTimes) io.out(`${f.local}  ${f.at}`);
    });
};
