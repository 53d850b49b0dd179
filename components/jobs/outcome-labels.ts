import type { StatusTone } from "@/components/ui/status-pill";
import type { JobOutcomeSummary } from "@/lib/jobs/job-outcome";

// Where a job handed to an agent stands, in a few words, for lists such as the triaged inbox:
// the agent's part first, then what its result became (a reply draft, its approval, the send).

export type OutcomeWords = { label: string; tone: StatusTone; title: string };

export function describeOutcome(summary: JobOutcomeSummary): OutcomeWords {
  const { status, state, approval } = summary;
  if (status === "queued") return { label: "Waiting for an agent", tone: "waiting", title: "The job waits for an agent to claim it" };
  if (status === "claimed") return { label: "Agent working", tone: "working", title: "An agent holds the job" };
  if (status !== "succeeded") return { label: `Job ${status}`, tone: "failed", title: "The agent did not finish the job; retry it from the job page" };
  if (state === "pending") return { label: "Saving the result…", tone: "working", title: "The result handler is running" };
  if (state === "failed") return { label: "Result failed", tone: "failed", title: "The result handler failed; retry it from the job page" };
  if (approval?.status === "pending") return { label: "Reply draft ready", tone: "done", title: "A draft waits in Gmail for your approval" };
  if (approval?.status === "approved") {
    if (approval.runStatus === "failed" || approval.runStatus === "cancelled") return { label: "Sending failed", tone: "failed", title: "Retry the send from the job page" };
    return approval.runStatus === "succeeded"
      ? { label: "Reply sent", tone: "done", title: "You approved the draft and it was sent" }
      : { label: "Sending…", tone: "working", title: "You approved the draft" };
  }
  if (approval?.status === "denied") return { label: "Draft deleted", tone: "muted", title: "You denied the draft; it was deleted from Gmail" };
  return { label: "Result on the job", tone: "muted", title: "Nothing was drafted; the result stays on the job" };
}
