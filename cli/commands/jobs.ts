import { validationError } from "@/lib/errors";
import type { JobDto } from "@/lib/jobs/job-dto";
import { cancelJob, retryJob } from "@/lib/jobs/manage-jobs";
import type { JobOutcome } from "@/lib/jobs/job-outcome";
import { getJob, listJobs, listJobsQuery } from "@/lib/jobs/read-jobs";
import { retryResultHandler } from "@/lib/jobs/result-handler";
import { cliActor } from "../actor";
import type { RegisterCommands } from "../context";
import { formatRelative, formatTable, indent } from "../format";

// `pa jobs …`: the agent job board from the terminal, through the same services as the API.

type ListOptions = { status?: string; kind?: string; limit?: string; cursor?: string; json?: boolean };

const by = () => ({ userId: null, label: cliActor().label });

function printJob(job: JobDto, instructions: string | null, events: { type: string; agentId: string | null; tokenId: string | null; attempt: number | null; createdAt: string }[], out: (line: string) => void) {
  const field = (label: string, value: string) => out(`${`${label}:`.padEnd(14)}${value}`);
  field("Job", job.id);
  field("Kind", job.kind);
  field("Status", job.status);
  field("Attempts", `${job.attempts}/${job.maxAttempts}`);
  field("Priority", String(job.priority));
  field("Holder", job.claimedByAgent ? `${job.claimedByAgent} (token ${job.claimedByToken})` : "-");
  field("Lease until", job.leaseExpiresAt ?? "-");
  field("Created by", job.createdByRunId ?? "-");
  out("Input:");
  for (const line of indent(JSON.stringify(job.input, null, 2))) out(line);
  if (instructions) {
    out("Instructions:");
    for (const line of indent(instructions)) out(line);
  }
  if (job.result !== null) {
    out("Result:");
    for (const line of indent(JSON.stringify(job.result, null, 2))) out(line);
  }
  if (job.error !== null) {
    out("Error:");
    for (const line of indent(JSON.stringify(job.error, null, 2))) out(line);
  }
  out("Events:");
  for (const e of events) out(`  ${e.createdAt}  ${e.type.padEnd(10)} attempt ${e.attempt ?? "-"}  ${e.agentId ?? "-"} ${e.tokenId ?? ""}`.trimEnd());
}

const OUTCOME_WORDS: Record<JobOutcome["state"], string> = {
  awaiting_result: "no result yet",
  no_handler: "the result stays on the job (its kind has no result handler)",
  pending: "the result run is still going",
  done: "done",
  failed: "the result run failed (pa jobs retry-result <id> runs it again)",
};

function printOutcome(outcome: JobOutcome, out: (line: string) => void) {
  const field = (label: string, value: string) => out(`  ${`${label}:`.padEnd(12)}${value}`);
  out("Outcome:");
  field("State", OUTCOME_WORDS[outcome.state]);
  if (outcome.run) field("Run", `${outcome.run.id} (${outcome.run.pipeline}) ${outcome.run.status}`);
  if (outcome.run?.error) field("Error", outcome.run.error.message);
  if (outcome.artifact?.path) field(outcome.artifact.type === "hub-note" ? "Hub note" : "Draft file", outcome.artifact.path);
  if (outcome.artifact?.type === "gmail-draft") field("Gmail draft", `${outcome.artifact.draftId} in thread ${outcome.artifact.threadId}`);
  const approval = outcome.approval;
  if (approval) {
    field("Approval", `${approval.id} ${approval.status}: ${approval.title}${approval.reason ? ` (${approval.reason})` : ""}`);
    if (approval.run) field("Its run", `${approval.run.id} ${approval.run.status}${approval.run.error ? `: ${approval.run.error.message}` : ""}`);
  }
}

export const registerJobsCommands: RegisterCommands = (program, context) => {
  const { io } = context;
  const jobs = program.command("jobs").description("inspect, cancel and retry agent jobs");

  jobs
    .command("list")
    .summary("list jobs, newest first")
    .option("--status <statuses>", "only these statuses, comma-separated: queued, claimed, succeeded, failed, dead, cancelled")
    .option("--kind <kinds>", "only these kinds, comma-separated")
    .option("--limit <n>", "how many jobs to show, 1-200 (50 unless given)")
    .option("--cursor <job id>", "start after this job (from the previous page)")
    .option("--json", "print JSON ({ jobs, nextCursor, counts }) instead of a table")
    .action(async (options: ListOptions) => {
      const { json, ...filters } = options;
      const parsed = listJobsQuery.safeParse(filters);
      if (!parsed.success) throw validationError(parsed.error, "The filter");
      await context.connectDatabase();
      const page = await listJobs("operator", parsed.data);
      if (json) {
        io.out(JSON.stringify(page, null, 2));
        return;
      }
      io.out(Object.entries(page.counts).map(([status, n]) => `${status} ${n}`).join("  "));
      if (page.jobs.length === 0) {
        io.out("No jobs match.");
        return;
      }
      const now = new Date();
      const rows = page.jobs.map((job) => [
        job.id,
        job.kind,
        job.status,
        `${job.attempts}/${job.maxAttempts}`,
        job.claimedByAgent ?? "-",
        formatRelative(new Date(job.createdAt), now),
      ]);
      for (const line of formatTable(["ID", "KIND", "STATUS", "ATTEMPTS", "AGENT", "CREATED"], rows)) io.out(line);
      if (page.nextCursor) io.out(`More: --cursor ${page.nextCursor}`);
    });

  jobs
    .command("show")
    .summary("show one job with its instructions, event trail and what its result became")
    .argument("<id>", "the job's id (job_…)")
    .option("--json", "print JSON ({ job, instructions, events, outcome })")
    .action(async (id: string, options: { json?: boolean }) => {
      await context.connectDatabase();
      const detail = await getJob("operator", id);
      if (options.json) return io.out(JSON.stringify(detail, null, 2));
      printJob(detail.job, detail.instructions, detail.events, io.out);
      printOutcome(detail.outcome, io.out);
    });

  jobs
    .command("cancel")
    .summary("cancel a queued or claimed job (its holder loses the lease)")
    .argument("<id>", "the job's id (job_…)")
    .action(async (id: string) => {
      await context.connectDatabase();
      const job = await cancelJob("operator", id, by());
      io.out(`Cancelled ${job.id} (${job.kind}).`);
    });

  jobs
    .command("retry")
    .summary("queue a failed, dead or cancelled job again (attempts reset to 0)")
    .argument("<id>", "the job's id (job_…)")
    .action(async (id: string) => {
      await context.connectDatabase();
      const job = await retryJob("operator", id, by());
      io.out(`Queued ${job.id} (${job.kind}) again.`);
    });

  jobs
    .command("retry-result")
    .summary("run a succeeded job's result handler again after its run failed (nothing is written twice)")
    .argument("<id>", "the job's id (job_…)")
    .action(async (id: string) => {
      await context.connectDatabase();
      const started = await retryResultHandler(id, by());
      const run = await started.completion;
      io.out(`Result run ${run.id} (${run.pipeline}): ${run.status}.`);
    });
};
