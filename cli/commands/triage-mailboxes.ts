import type { Command } from "commander";
import cliProgress from "cli-progress";
import { RetryLater } from "@/lib/background/retry-later";
import { autocommit } from "@/lib/db/transaction";
import { AppError } from "@/lib/errors";
import { listMailboxes } from "@/lib/triage/mailboxes";
import { executeSyncRun, type ExecutedRun } from "@/lib/triage/sync";
import { insertSyncRun } from "@/lib/triage/sync-runs";
import type { CliContext } from "../context";
import { formatRelative, formatTable } from "../format";

// `pa triage mailboxes` and `pa triage sync`: the connected Gmail mailboxes, and a sync run in this
// process (the same engine, thresholds and action log as the app's), with progress on a terminal.

function positiveInt(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new AppError("bad_request", `${flag} must be a whole number of at least 1, not "${value}"`);
  return n;
}

/** Follows the run's counters while it executes: a bar on a terminal, nothing otherwise. */
function followProgress(runId: string, isTerminal: boolean): () => void {
  if (!isTerminal) return () => {};
  const bar = new cliProgress.SingleBar(
    { stream: process.stderr, format: "syncing [{bar}] {value}/{total} messages | {applied} applied | {review} to review", hideCursor: true, clearOnComplete: true },
    cliProgress.Presets.shades_classic,
  );
  bar.start(1, 0, { applied: 0, review: 0 });
  const timer = setInterval(() => {
    void autocommit()
      .triageSyncRun.findUnique({ where: { id: runId } })
      .then((run) => {
        if (!run) return;
        bar.setTotal(Math.max(run.total, 1));
        bar.update(run.processed, { applied: run.autoApplied, review: run.queuedForReview });
      });
  }, 500);
  return () => {
    clearInterval(timer);
    bar.stop();
  };
}

function summary(run: ExecutedRun): string {
  if (run.status === "failed") return `failed: ${run.error ?? "unknown error"}`;
  const parts = [`${run.kind}`, `${run.total} looked at`, `${run.autoApplied} applied`, `${run.queuedForReview} to review`, `${run.modelCalls} model calls`];
  return `${parts.join(", ")}${run.error ? ` (${run.error})` : ""}`;
}

export function registerTriageMailboxCommands(triage: Command, context: CliContext): void {
  const { io } = context;

  triage
    .command("mailboxes")
    .summary("list connected Gmail mailboxes, their push health and last sync")
    .option("--json", "print JSON instead of a table")
    .action(async (options: { json?: boolean }) => {
      await context.connectDatabase();
      const mailboxes = await listMailboxes("operator");
      if (options.json) return io.out(JSON.stringify(mailboxes, null, 2));
      if (mailboxes.length === 0) return io.out("No mailbox is connected. Connect Gmail on the Triage page (needs GOOGLE_CLIENT_ID and GOOGLE_CLIENT_SECRET).");
      const rows = mailboxes.map(({ account, watch, latestRun }) => [
        account.id,
        account.emailAddress,
        account.status,
        formatRelative(account.lastSyncAt ? new Date(account.lastSyncAt) : null, new Date(), "never"),
        watch.state,
        latestRun ? `${latestRun.kind} ${latestRun.status} (${latestRun.processed}/${latestRun.total})` : "-",
      ]);
      for (const line of formatTable(["ID", "ADDRESS", "STATUS", "LAST SYNC", "PUSH", "LATEST RUN"], rows)) io.out(line);
      for (const { account, watch } of mailboxes) if (watch.state !== "ok") io.err(`${account.emailAddress}: ${watch.message}`);
    });

  triage
    .command("sync")
    .summary("sync mailboxes now: new mail, or a backfill of recent mail")
    .description(
      "Runs a sync of one mailbox (or every connected one) in this process and prints what it did: new mail since the " +
        "last sync, or with --backfill the inbox mail of the last --days days (at most --max messages). Actions apply " +
        "above each category's threshold, the rest waits in review, and everything is in the action log, as in the app.",
    )
    .argument("[account]", "an account id (eml_…) or address; every connected mailbox when left out")
    .option("--backfill", "look back over recent mail instead of new mail only")
    .option("--days <n>", "with --backfill: how many days back (default TRIAGE_BACKFILL_DAYS)")
    .option("--max <n>", "with --backfill: at most this many messages (default TRIAGE_BACKFILL_MAX)")
    .action(async (which: string | undefined, options: { backfill?: boolean; days?: string; max?: string }) => {
      const sinceDays = positiveInt(options.days, "--days");
      const maxMessages = positiveInt(options.max, "--max");
      if ((sinceDays || maxMessages) && !options.backfill) throw new AppError("bad_request", "--days and --max go with --backfill");
      await context.connectDatabase();
      const accounts = await autocommit().emailAccount.findMany({
        where: { status: { not: "disconnected" }, ...(which ? { OR: [{ id: which }, { emailAddress: which.toLowerCase() }] } : {}) },
        select: { id: true, emailAddress: true },
        orderBy: { emailAddress: "asc" },
      });
      if (accounts.length === 0) throw new AppError(which ? "not_found" : "conflict", which ? `No connected mailbox ${which}` : "No mailbox is connected.");
      let failed = 0;
      for (const account of accounts) {
        const run = await insertSyncRun(autocommit(), { accountId: account.id, kind: options.backfill ? "backfill" : "incremental", trigger: "manual", sinceDays, maxMessages });
        const stop = followProgress(run.id, Boolean(process.stderr.isTTY));
        try {
          const done = await executeSyncRun(run.id);
          if (done.status === "failed") failed++;
          io.out(`${account.emailAddress}: ${summary(done)}${done.discarded ? "" : ` [${done.id}]`}`);
        } catch (error) {
          if (!(error instanceof RetryLater)) throw error;
          failed++;
          await autocommit().triageSyncRun.update({ where: { id: run.id }, data: { status: "failed", error: "Another sync of this mailbox was running.", finishedAt: new Date() } });
          io.out(`${account.emailAddress}: skipped, another sync of this mailbox is running`);
        } finally {
          stop();
        }
      }
      if (failed > 0) throw new AppError("bad_gateway", `${failed} of ${accounts.length} ${accounts.length === 1 ? "sync" : "syncs"} did not finish; see above.`);
    });
}
