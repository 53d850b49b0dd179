import { StatusPill, type StatusTone } from "@/components/ui/status-pill";
import type { RunDto } from "@/lib/pipelines/run-dto";

type RunStatus = RunDto["status"];

const TONES: Record<RunStatus, StatusTone> = {
  queued: "waiting",
  running: "working",
  succeeded: "done",
  failed: "failed",
  cancelled: "muted",
};

export function RunStatusBadge({ status }: { status: RunStatus }) {
  return <StatusPill status={status} tone={TONES[status]} />;
}
