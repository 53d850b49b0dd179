"use client";

import { SegmentError } from "@/components/runs/segment-error";

export default function TriageError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return <SegmentError title="Email triage could not be loaded" error={error} reset={reset} />;
}
