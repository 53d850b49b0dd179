import { getConfig } from "@/lib/config";
import { autocommit } from "@/lib/db/transaction";
import { getLogger } from "@/lib/logger";
import { getPipeline } from "@/lib/pipelines/catalog";
import { startRun } from "@/lib/pipelines/runner";
import * as approvals from "./approvals.repository";

// New pending approvals are announced through notify.send (recorded as a run like any other):
// one message for everything that arrived since the last one, with counts and a link, never with
// an email's subject or text. The first new approval arms a timer (APPROVAL_NOTIFY_DELAY_SECONDS)
// so a burst becomes one message; the maintenance tick sends whatever a lost timer left behind.

const KIND_WORDS: Record<string, [string, string]> = {
  reply_draft: ["reply draft waits to be sent", "reply drafts wait to be sent"],
  pipeline_call: ["agent request waits for you", "agent requests wait for you"],
  job_result: ["agent result was flagged for you", "agent results were flagged for you"],
};

export function describeBatch(kinds: string[], appUrl: string): { title: string; message: string } {
  const counts = new Map<string, number>();
  for (const kind of kinds) counts.set(kind, (counts.get(kind) ?? 0) + 1);
  const parts = [...counts].map(([kind, n]) => `${n} ${(KIND_WORDS[kind] ?? ["item waits", "items wait"])[n === 1 ? 0 : 1]}`);
  return {
    title: kinds.length === 1 ? "1 approval waiting" : `${kinds.length} approvals waiting`,
    message: `${parts.join(", ")}. Review: ${appUrl.replace(/\/+$/, "")}/approvals`,
  };
}

/** Sends one notification for every pending approval not yet announced; null when there were none. */
export async function notifyPendingApprovals(): Promise<{ notified: number; runId: string } | null> {
  const config = getConfig();
  // Without a channel nothing is claimed: once one is configured, the waiting items are announced.
  if (!config.NOTIFY_WEBHOOK_URL) return null;
  const batch = await approvals.claimUnnotified(autocommit());
  if (batch.length === 0) return null;
  const started = await startRun(getPipeline("notify.send"), describeBatch(batch.map((b) => b.kind), config.APP_URL), {
    trigger: "event",
    actor: { type: "system", label: "approvals" },
    resolve: getPipeline,
  });
  const run = await started.completion;
  if (run.status !== "succeeded") getLogger({ component: "approvals" }).warn({ runId: run.id, status: run.status }, "the approvals notification was not delivered");
  return { notified: batch.length, runId: run.id };
}

const state = globalThis as unknown as { __paApprovalNotice?: NodeJS.Timeout };

/** Arms the batch timer unless it is armed already. */
export function scheduleApprovalNotice(): void {
  if (state.__paApprovalNotice) return;
  state.__paApprovalNotice = setTimeout(() => {
    state.__paApprovalNotice = undefined;
    notifyPendingApprovals().catch((error: unknown) => getLogger({ component: "approvals" }).error({ err: error }, "approval notification failed"));
  }, getConfig().APPROVAL_NOTIFY_DELAY_SECONDS * 1000);
  state.__paApprovalNotice.unref();
}
