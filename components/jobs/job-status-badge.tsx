import type { JobStatus } from "@/components/jobs/job-labels";
import { StatusPill, type StatusTone } from "@/components/ui/status-pill";

const TONES: Record<JobStatus, StatusTone> = {
  queued: "waiting",
  claimed: "working",
  succeeded: "done",
  failed: "failed",
  dead: "dead",
  cancelled: "muted",
};

export function JobStatusBadge({ status }: { status: JobStatus }) {
  return <StatusPill status={status} tone={TONES[status]} />;
}
