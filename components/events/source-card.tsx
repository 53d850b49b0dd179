"use client";

import Link from "next/link";
import { useState } from "react";
import { Badge } from "@/components/ui/badge";
import { Button, Spinner } from "@/components/ui/button";
import { Card, EmptyState } from "@/components/ui/card";
import { CopyButton } from "@/components/runs/copy-button";
import { SubscriptionForm } from "@/components/events/subscription-form";
import type { ActionResult, SourceActions } from "@/components/events/source-actions";
import type { SourceDto } from "@/lib/events/dto";
import type { SourceWithSecret } from "@/lib/events/manage-sources";

// One source: its endpoint and settings, its actions (rotate, enable/disable, delete with an
// inline confirmation) and its subscriptions.

type Props = {
  source: SourceDto;
  pipelines: { name: string; title: string }[];
  actions: SourceActions;
  onChanged: () => void;
  onSecret: (created: SourceWithSecret) => void;
};

export function SourceCard({ source, pipelines, actions, onChanged, onSecret }: Props) {
  const [busy, setBusy] = useState<string | null>(null);
  const [confirm, setConfirm] = useState<"delete" | "rotate" | null>(null);
  const [error, setError] = useState<string | null>(null);
  const subscriptions = source.subscriptions ?? [];

  async function run<T>(label: string, fn: () => Promise<ActionResult<T>>, done?: (value: T) => void) {
    setBusy(label);
    setError(null);
    try {
      const result = await fn();
      if (result.status === "ok") {
        done?.(result.value);
        onChanged();
      } else {
        setError(result.message);
      }
    } catch {
      setError("The server could not be reached; try again.");
    } finally {
      setBusy(null);
      setConfirm(null);
    }
  }

  return (
    <Card>
      <div data-source={source.name} className="flex flex-wrap items-start justify-between gap-4 border-b border-slate-100 px-5 py-4">
        <div className="min-w-0">
          <div className="flex flex-wrap items-center gap-2">
            <h2 className="font-mono text-base font-semibold text-slate-900">{source.name}</h2>
            {source.enabled ? <Badge tone="green">enabled</Badge> : <Badge tone="amber">disabled</Badge>}
          </div>
          {source.description ? <p className="mt-0.5 text-sm text-slate-500">{source.description}</p> : null}
          <p className="mt-2 flex min-w-0 items-center gap-1 text-xs text-slate-600">
            <span className="font-medium text-slate-500">POST</span>
            <code className="truncate font-mono">{source.endpoint}</code>
            <CopyButton text={source.endpoint} label="Copy endpoint" iconOnly className="px-1" />
          </p>
          <p className="mt-1 text-xs text-slate-500">
            Signatures within ±{source.toleranceSeconds} s ·{" "}
            <Link href={`/events?source=${encodeURIComponent(source.name)}`} className="text-brand-600 hover:underline">
              {source.counts?.events ?? 0} event{source.counts?.events === 1 ? "" : "s"}
            </Link>
          </p>
        </div>
        <div className="flex flex-wrap items-center gap-2">
          {confirm ? (
            <div role="group" aria-label={`Confirm ${confirm}`} className="flex flex-wrap items-center gap-2 rounded-lg bg-rose-50 px-3 py-1.5 text-sm text-rose-800">
              {confirm === "delete"
                ? `Delete ${source.name}, its subscriptions and its ${source.counts?.events ?? 0} stored events?`
                : "Replace the secret? The current one stops working at once."}
              <Button
                variant="danger"
                disabled={busy !== null}
                onClick={() =>
                  confirm === "delete"
                    ? void run("delete", () => actions.deleteSource(source.name))
                    : void run("rotate", () => actions.rotateSecret(source.name), onSecret)
                }
              >
                {busy ? <Spinner /> : null}
                {confirm === "delete" ? "Delete" : "Rotate"}
              </Button>
              <Button variant="secondary" onClick={() => setConfirm(null)} disabled={busy !== null}>Cancel</Button>
            </div>
          ) : (
            <>
              <Button variant="secondary" onClick={() => setConfirm("rotate")}>Rotate secret</Button>
              <Button variant="secondary" disabled={busy !== null} onClick={() => void run("toggle", () => actions.setSourceEnabled(source.name, !source.enabled))}>
                {busy === "toggle" ? <Spinner /> : null}
                {source.enabled ? "Disable" : "Enable"}
              </Button>
              <Button variant="ghost" className="text-rose-600 hover:bg-rose-50 hover:text-rose-700" onClick={() => setConfirm("delete")}>Delete</Button>
            </>
          )}
        </div>
      </div>
      {error ? <p role="alert" className="border-b border-rose-100 bg-rose-50 px-5 py-2 text-sm text-rose-800">{error}</p> : null}

      {subscriptions.length === 0 ? (
        <EmptyState title="No subscriptions yet">Events from this source are stored but run nothing until a subscription picks a pipeline for them.</EmptyState>
      ) : (
        <div className="overflow-x-auto">
          <table className="w-full min-w-[640px] text-left text-sm" aria-label={`Subscriptions of ${source.name}`}>
            <thead className="bg-slate-50/60 text-xs uppercase tracking-wide text-slate-500">
              <tr>
                <th className="px-5 py-2 font-medium">Event type</th>
                <th className="px-4 py-2 font-medium">Pipeline</th>
                <th className="px-4 py-2 font-medium">Input template</th>
                <th className="px-4 py-2 font-medium">State</th>
                <th className="px-5 py-2" />
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {subscriptions.map((s) => (
                <tr key={s.id} data-subscription-id={s.id}>
                  <td className="px-5 py-2.5 font-mono text-xs text-slate-800">{s.eventType === "*" ? "* (every event)" : s.eventType}</td>
                  <td className="px-4 py-2.5">
                    <Link href={`/pipelines/${s.pipeline}`} className="font-mono text-xs text-brand-600 hover:underline">{s.pipeline}</Link>
                  </td>
                  <td className="max-w-xs px-4 py-2.5">
                    <code className="block truncate font-mono text-xs text-slate-600" title={JSON.stringify(s.inputTemplate, null, 2)}>{JSON.stringify(s.inputTemplate)}</code>
                  </td>
                  <td className="px-4 py-2.5">
                    <button
                      type="button"
                      onClick={() => void run(`sub-toggle-${s.id}`, () => actions.setSubscriptionEnabled(source.name, s.id, !s.enabled))}
                      className="text-xs"
                      title={s.enabled ? "Click to pause" : "Click to resume"}
                    >
                      {s.enabled ? <Badge tone="green">active</Badge> : <Badge>paused</Badge>}
                    </button>
                  </td>
                  <td className="px-5 py-2.5 text-right">
                    <Button variant="ghost" className="px-2 py-1 text-xs text-rose-600 hover:bg-rose-50" disabled={busy !== null} onClick={() => void run(`sub-${s.id}`, () => actions.removeSubscription(source.name, s.id))}>
                      {busy === `sub-${s.id}` ? <Spinner className="h-3 w-3" /> : null}
                      Remove
                    </Button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <SubscriptionForm source={source.name} pipelines={pipelines} add={actions.addSubscription} onAdded={onChanged} />
    </Card>
  );
}
