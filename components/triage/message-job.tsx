import Link from "next/link";
import { StatusPill } from "@/components/ui/status-pill";
import { describeOutcome } from "@/components/jobs/outcome-labels";
import { useCan } from "@/components/shell/permissions";
import type { TriagedMessageDto } from "@/lib/triage/read-triage";

// The job triage handed a message to, as a link to the job: where the agent is, and once the
// reply is drafted, "Reply draft ready" (the job page shows the draft and its approval). Someone
// without the Jobs page (a member) gets the pill alone; their drafts wait above, under Reply drafts.

export function MessageJob({ job }: { job: NonNullable<TriagedMessageDto["job"]> }) {
  const words = describeOutcome(job);
  const canOpen = useCan("activity.view");
  if (!canOpen) {
    return (
      <span data-testid="message-job" data-job-id={job.id} className="inline-flex max-w-full items-center" title={`${words.title} (${job.kind})`}>
        <StatusPill status={words.label} tone={words.tone} />
      </span>
    );
  }
  return (
    <Link
      href={`/jobs/${job.id}`}
      data-testid="message-job"
      data-job-id={job.id}
      className="inline-flex max-w-full items-center gap-1.5 rounded-full hover:opacity-80 focus-visible:outline-2 focus-visible:outline-brand-500"
      title={`${words.title} (${job.kind}, ${job.id})`}
    >
      <StatusPill status={words.label} tone={words.tone} />
    </Link>
  );
}
