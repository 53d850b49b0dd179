"use client";

import { SegmentError } from "@/components/runs/segment-error";

export default function PipelinesError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return <SegmentError title="The pipelines could not be loaded" error={error} reset={reset} />;
}
