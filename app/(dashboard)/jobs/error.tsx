"use client";

import { SegmentError } from "@/components/runs/segment-error";

export default function JobsError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return <SegmentError title="The jobs could not be loaded" error={error} reset={reset} />;
}
