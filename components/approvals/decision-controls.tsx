"use client";

import { useState } from "react";
import { Button, Spinner } from "@/components/ui/button";
import type { Decide } from "./decide";
import { useCan } from "@/components/shell/permissions";

// Approve, or deny with a reason: the controls of a pending approval, on the Approvals page and on
// the job whose result it is. For a reply draft, approving sends it and denying deletes it.

export function DecisionControls({
  approvalId,
  approveLabel,
  denyLabel,
  decide,
  mayDecide,
}: {
  approvalId: string;
  approveLabel: string;
  /** The button that opens the reason form, and the one that confirms it. */
  denyLabel: { open: string; confirm: string };
  decide: Decide;
  /** Whether the viewer may decide; by default, whether their role may run work (work.run). */
  mayDecide?: boolean;
}) {
  const allowed = useCan("work.run") || mayDecide === true;
  const [mode, setMode] = useState<"idle" | "denying" | "busy">("idle");
  const [reason, setReason] = useState("");
  const [error, setError] = useState<string | null>(null);

  async function act(action: "approve" | "deny") {
    setMode("busy");
    setError(await decide(approvalId, action, action === "deny" ? reason : undefined));
    setMode(action === "deny" ? "denying" : "idle");
  }

  if (!allowed) return null;
  return (
    <>
      {mode === "denying" || (mode === "busy" && reason) ? (
        <form
          className="space-y-2"
          onSubmit={(e) => {
            e.preventDefault();
            void act("deny");
          }}
        >
          <label className="block text-sm font-medium text-slate-700" htmlFor={`reason-${approvalId}`}>
            Why not?
          </label>
          <textarea
            id={`reason-${approvalId}`}
            value={reason}
            onChange={(e) => setReason(e.target.value)}
            required
            maxLength={1000}
            rows={2}
            className="w-full rounded-lg border border-slate-300 px-3 py-2 text-sm focus:border-brand-500 focus:outline-none"
          />
          <div className="flex flex-wrap gap-2">
            <Button type="submit" variant="danger" disabled={mode === "busy" || !reason.trim()}>
              {mode === "busy" ? <Spinner /> : null}
              {denyLabel.confirm}
            </Button>
            <Button type="button" variant="secondary" onClick={() => setMode("idle")} disabled={mode === "busy"}>
              Cancel
            </Button>
          </div>
        </form>
      ) : (
        <div className="flex flex-wrap gap-2">
          <Button onClick={() => void act("approve")} disabled={mode === "busy"}>
            {mode === "busy" ? <Spinner /> : null}
            {approveLabel}
          </Button>
          <Button variant="secondary" onClick={() => setMode("denying")} disabled={mode === "busy"}>
            {denyLabel.open}
          </Button>
        </div>
      )}
      {error ? <p role="alert" className="mt-2 text-sm text-rose-700">{error}</p> : null}
    </>
  );
}

/** Runs a failed approved call (or result) again; the error, if any, shows next to the button. */
export function RetryButton({ label, onRetry, testId, mayRetry }: { label: string; onRetry: () => Promise<string | null>; testId?: string; mayRetry?: boolean }) {
  const allowed = useCan("work.run") || mayRetry === true;
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  if (!allowed) return null;
  return (
    <div>
      <Button
        data-testid={testId}
        onClick={async () => {
          setBusy(true);
          setError(await onRetry());
          setBusy(false);
        }}
        disabled={busy}
      >
        {busy ? <Spinner /> : null}
        {busy ? "Retrying…" : label}
      </Button>
      {error ? <p role="alert" className="mt-2 text-sm text-rose-700">{error}</p> : null}
    </div>
  );
}
