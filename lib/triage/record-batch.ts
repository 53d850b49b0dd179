import { getPool } from "@/lib/db/client";
import { recordTriageBatch } from "@/lib/observability/observe";
import { LEASE_SECONDS } from "./sync-lease";

// Writes one batch of a sync in one transaction: the decisions, the actions applied, the run's
// counters and the mailbox lease. This is the sync's only database work per batch, and through
// Prisma's createMany it cost about 0.5 ms of CPU per message (bench:triage), several times what
// PostgreSQL spends; here it is a few multi-row INSERTs on a pool connection.
//
// Timestamps go in as UTC ISO strings: the columns are `timestamp(3)` holding UTC, as Prisma writes them.

export type MessageRecord = {
  id: string;
  accountId: string;
  gmailMessageId: string;
  threadId: string;
  syncRunId: string;
  fromAddress: string | null;
  fromName: string | null;
  subject: string;
  snippet: string;
  receivedAt: Date;
  category: string;
  confidence: number;
  stage: string;
  reasons: string[];
  status: string;
  labelsAtTriage: string[];
};

export type ActionRecord = {
  id: string;
  accountId: string;
  messageId: string;
  gmailMessageId: string;
  syncRunId: string;
  kind: string;
  category: string;
  labelsAdded: string[];
  labelsRemoved: string[];
  labelsBefore: string[];
  labelsAfter: string[];
  actor: string;
};

export type RunIncrements = {
  processed: number;
  skipped: number;
  autoApplied: number;
  queuedForReview: number;
  stageOneDecided: number;
  modelCalls: number;
};

/** `INSERT INTO table (columns) VALUES ($1, $2 …), (…)` for rows given as value arrays. */
function insertSql(table: string, columns: string[], rows: unknown[][], suffix = ""): { text: string; values: unknown[] } {
  const values: unknown[] = [];
  const tuples = rows.map((row) => `(${row.map((value) => `$${values.push(value)}`).join(", ")})`);
  return { text: `INSERT INTO ${table} (${columns.join(", ")}) VALUES ${tuples.join(", ")}${suffix}`, values };
}

const MESSAGE_COLUMNS = [
  "id", "account_id", "gmail_message_id", "thread_id", "sync_run_id", "from_address", "from_name", "subject", "snippet",
  "received_at", "category", "confidence", "stage", "reasons", "status", "labels_at_triage",
];
const ACTION_COLUMNS = [
  "id", "account_id", "message_id", "gmail_message_id", "sync_run_id", "kind", "category",
  "labels_added", "labels_removed", "labels_before", "labels_after", "actor",
];

export async function recordBatch(runId: string, accountId: string, messages: MessageRecord[], actions: ActionRecord[], counts: RunIncrements): Promise<void> {
  const client = await getPool().connect();
  try {
    await client.query("BEGIN");
    if (messages.length) {
      const m = messages.map((r) => [
        r.id, r.accountId, r.gmailMessageId, r.threadId, r.syncRunId, r.fromAddress, r.fromName, r.subject, r.snippet,
        r.receivedAt.toISOString(), r.category, r.confidence, r.stage, r.reasons, r.status, r.labelsAtTriage,
      ]);
      // A message recorded meanwhile (it cannot be, under the lease) keeps its first decision.
      await client.query(insertSql("triaged_messages", MESSAGE_COLUMNS, m, " ON CONFLICT (account_id, gmail_message_id) DO NOTHING"));
    }
    if (actions.length) {
      const a = actions.map((r) => [
        r.id, r.accountId, r.messageId, r.gmailMessageId, r.syncRunId, r.kind, r.category,
        r.labelsAdded, r.labelsRemoved, r.labelsBefore, r.labelsAfter, r.actor,
      ]);
      await client.query(insertSql("triage_actions", ACTION_COLUMNS, a));
    }
    await client.query(
      `UPDATE triage_sync_runs SET processed = processed + $2, skipped = skipped + $3, auto_applied = auto_applied + $4,
         queued_for_review = queued_for_review + $5, stage_one_decided = stage_one_decided + $6, model_calls = model_calls + $7
       WHERE id = $1`,
      [runId, counts.processed, counts.skipped, counts.autoApplied, counts.queuedForReview, counts.stageOneDecided, counts.modelCalls],
    );
    await client.query(
      `UPDATE email_accounts SET sync_lease_until = now() + make_interval(secs => $3) WHERE id = $1 AND sync_lease_holder = $2`,
      [accountId, runId, LEASE_SECONDS],
    );
    await client.query("COMMIT");
    recordTriageBatch(messages);
  } catch (error) {
    await client.query("ROLLBACK").catch(() => {});
    throw error;
  } finally {
    client.release();
  }
}
