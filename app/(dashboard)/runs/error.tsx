"use client";

import { SegmentError } from "@/components/runs/segment-error";

export default function RunsError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return <SegmentError title="The runs could not be loaded" error={error} reset={reset} />;
}
