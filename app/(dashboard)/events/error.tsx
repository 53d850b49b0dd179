"use client";

import { SegmentError } from "@/components/runs/segment-error";

export default function EventsError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return <SegmentError title="The events could not be loaded" error={error} reset={reset} />;
}
