"use client";

import { SegmentError } from "@/components/runs/segment-error";

export default function SchedulesError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return <SegmentError title="The schedules could not be loaded" error={error} reset={reset} />;
}
