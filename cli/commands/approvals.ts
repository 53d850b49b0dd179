import { approve, deny, retryApprovedRun } from "@/lib/approvals/decide-approval";
import { getApprovalDetail, listApprovals, listApprovalsQuery } from "@/lib/approvals/read-approvals";
import { validationError } from "@/lib/errors";
import { cliActor } from "../actor";
import type { RegisterCommands } from "../context";
import { formatRelative, formatTable, indent } from "../format";

// `pa approvals …`: what waits on the owner, from the terminal, through the same services as the
// Approvals page: approve runs what the approval holds once; deny needs a reason.

type ListOptions = { status?: string; kind?: string; limit?: string; cursor?: string; json?: boolean };

const by = () => ({ userId: null, label: cliActor().label, trigger: "cli" as const, viewer: "operator" as const });

export const registerApprovalsCommands: RegisterCommands = (program, context) => {
  const { io } = context;
  const approvals = program
    .command("approvals")
    .description("what waits on the owner: reply drafts to send, agents' requests, flagged results; approve or deny them");

  approvals
    .command("list")
    .summary("list approvals, newest first (pending only unless --status)")
    .option("--status <statuses>", "only these, comma-separated: pending, approved, denied, withdrawn (default pending)")
    .option("--kind <kinds>", "only these kinds, comma-separated: reply_draft, pipeline_call, job_result")
    .option("--limit <n>", "how many to show, 1-200 (50 unless given)")
    .option("--cursor <approval id>", "start after this approval (from the previous page)")
    .option("--json", "print JSON ({ approvals, nextCursor, pending })")
    .action(async (options: ListOptions) => {
      const { json, ...filters } = options;
      const parsed = listApprovalsQuery.safeParse({ status: "pending", ...filters });
      if (!parsed.success) throw validationError(parsed.error, "The filter");
      await context.connectDatabase();
      const page = await listApprovals("operator", parsed.data);
      if (json) return io.out(JSON.stringify(page, null, 2));
      io.out(`${page.pending} pending`);
      if (page.approvals.length === 0) return io.out("No approvals match.");
      const now = new Date();
      const rows = page.approvals.map((a) => [a.id, a.kind, a.status, a.title.slice(0, 60), formatRelative(new Date(a.createdAt), now)]);
      for (const line of formatTable(["ID", "KIND", "STATUS", "TITLE", "ASKED"], rows)) io.out(line);
      if (page.nextCursor) io.out(`More: --cursor ${page.nextCursor}`);
    });

  approvals
    .command("show")
    .summary("show one approval: what approving does, the reply an agent wrote, the decision")
    .argument("<id>", "the approval's id (apr_…)")
    .option("--json", "print JSON ({ approval, job, message, run })")
    .action(async (id: string, options: { json?: boolean }) => {
      await context.connectDatabase();
      const detail = await getApprovalDetail("operator", id);
      if (options.json) return io.out(JSON.stringify(detail, null, 2));
      const { approval } = detail;
      const field = (label: string, value: string) => io.out(`${`${label}:`.padEnd(12)}${value}`);
      field("Approval", approval.id);
      field("Kind", approval.kind);
      field("Status", approval.status);
      field("Title", approval.title);
      if (approval.summary) field("Summary", approval.summary);
      field("Runs", approval.pipeline ?? "nothing (acknowledge only)");
      if (approval.jobId) field("Job", approval.jobId);
      if (detail.message) field("Answers", `${detail.message.subject} (${detail.message.fromAddress ?? "unknown sender"})`);
      if (approval.reason) field("Reason", approval.reason);
      if (detail.run) field("Run", `${detail.run.id} ${detail.run.status}`);
      const reply = (detail.job?.result as { reply?: unknown } | null)?.reply;
      if (typeof reply === "string") {
        io.out("Reply:");
        for (const line of indent(reply)) io.out(line);
      } else if (approval.kind === "pipeline_call") {
        io.out("Input:");
        for (const line of indent(JSON.stringify(approval.input, null, 2))) io.out(line);
      }
    });

  approvals
    .command("approve")
    .summary("approve: send the reply draft, or run the agent's call as the agent (once)")
    .argument("<id>", "the approval's id (apr_…)")
    .action(async (id: string) => {
      await context.connectDatabase();
      const { approval, run } = await approve(id, by());
      io.out(`Approved ${approval.id}.${run ? ` Run ${run.id} (${run.pipeline}): ${run.status}.` : ""}`);
    });

  approvals
    .command("deny")
    .summary("deny with a reason: nothing runs (a reply draft is deleted from Gmail)")
    .argument("<id>", "the approval's id (apr_…)")
    .requiredOption("--reason <text>", "why (the agent sees it when it polls)")
    .action(async (id: string, options: { reason: string }) => {
      await context.connectDatabase();
      const { approval } = await deny(id, { reason: options.reason }, by());
      io.out(`Denied ${approval.id}: ${approval.reason}`);
    });

  approvals
    .command("retry")
    .summary("run an approved call again after its run failed (once, however often you ask)")
    .argument("<id>", "the approval's id (apr_…)")
    .action(async (id: string) => {
      await context.connectDatabase();
      const { approval, run } = await retryApprovedRun(id, by());
      io.out(`Retried ${approval.id}.${run ? ` Run ${run.id} (${run.pipeline}): ${run.status}.` : ""}`);
    });
};
