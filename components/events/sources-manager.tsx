"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { Button, Spinner } from "@/components/ui/button";
import { Card, CardHeader } from "@/components/ui/card";
import { SecretPanel } from "@/components/events/secret-panel";
import { SourceCard } from "@/components/events/source-card";
import type { SourceActions } from "@/components/events/source-actions";
import type { SourceDto } from "@/lib/events/dto";
import type { SourceWithSecret } from "@/lib/events/manage-sources";

// The sources page: create a source (its secret is shown once), then manage each source and
// its subscriptions. Changes go through server actions and the page re-reads the server.

const inputClass =
  "mt-1 block w-full rounded-lg border px-3 py-2 text-sm shadow-sm focus:outline-none focus:ring-2";
const okInput = "border-slate-300 focus:border-brand-500 focus:ring-brand-100";
const badInput = "border-rose-400 focus:ring-rose-100";

function CreateSourceForm({ create, onCreated }: { create: SourceActions["createSource"]; onCreated: (created: SourceWithSecret) => void }) {
  const [name, setName] = useState("");
  const [description, setDescription] = useState("");
  const [tolerance, setTolerance] = useState("300");
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<{ message: string; fields: Record<string, string> } | null>(null);

  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    setPending(true);
    setError(null);
    try {
      const result = await create({ name: name.trim(), description: description.trim() || undefined, toleranceSeconds: Number(tolerance) });
      if (result.status === "ok") {
        setName("");
        setDescription("");
        onCreated(result.value);
      } else {
        setError({ message: result.message, fields: Object.fromEntries((result.issues ?? []).map((i) => [i.path, i.message])) });
      }
    } catch {
      setError({ message: "The server could not be reached; try again.", fields: {} });
    } finally {
      setPending(false);
    }
  };

  const fields = error?.fields ?? {};
  return (
    <form onSubmit={submit} aria-label="Create a webhook source" className="space-y-4 px-5 py-5" noValidate>
      {error ? <p role="alert" className="rounded-lg border border-rose-200 bg-rose-50 px-3 py-2 text-sm text-rose-800">{error.message}</p> : null}
      <div className="grid gap-4 sm:grid-cols-[1fr_2fr_10rem]">
        <div>
          <label htmlFor="source-name" className="block text-sm font-medium text-slate-700">Name</label>
          <input id="source-name" value={name} onChange={(e) => setName(e.target.value)} placeholder="github" autoComplete="off"
            aria-invalid={fields.name ? true : undefined} className={`${inputClass} font-mono ${fields.name ? badInput : okInput}`} />
          <p className={`mt-1 text-xs ${fields.name ? "text-rose-700" : "text-slate-500"}`}>{fields.name ? `Name ${fields.name}` : "Becomes the URL: /api/webhooks/<name>"}</p>
        </div>
        <div>
          <label htmlFor="source-description" className="block text-sm font-medium text-slate-700">Description <span className="font-normal text-slate-400">(optional)</span></label>
          <input id="source-description" value={description} onChange={(e) => setDescription(e.target.value)} placeholder="Pushes from the automations repository"
            className={`${inputClass} ${okInput}`} />
        </div>
        <div>
          <label htmlFor="source-tolerance" className="block text-sm font-medium text-slate-700">Tolerance (s)</label>
          <input id="source-tolerance" type="number" min={10} max={3600} value={tolerance} onChange={(e) => setTolerance(e.target.value)}
            aria-invalid={fields.toleranceSeconds ? true : undefined} className={`${inputClass} tabular-nums ${fields.toleranceSeconds ? badInput : okInput}`} />
          <p className={`mt-1 text-xs ${fields.toleranceSeconds ? "text-rose-700" : "text-slate-500"}`}>{fields.toleranceSeconds ?? "Older signatures are replays"}</p>
        </div>
      </div>
      <div className="flex justify-end">
        <Button type="submit" disabled={pending || !name.trim()}>{pending ? <Spinner /> : null}Create source</Button>
      </div>
    </form>
  );
}

export function SourcesManager({ sources, pipelines, actions }: { sources: SourceDto[]; pipelines: { name: string; title: string }[]; actions: SourceActions }) {
  const router = useRouter();
  const [secret, setSecret] = useState<{ created: SourceWithSecret; rotated: boolean } | null>(null);
  const refresh = () => router.refresh();

  return (
    <>
      {secret ? <SecretPanel created={secret.created} rotated={secret.rotated} onDismiss={() => setSecret(null)} /> : null}
      <Card className="mb-6">
        <CardHeader title="New source" description="Each sender gets its own source: an endpoint, a signing secret and its own subscriptions." />
        <CreateSourceForm create={actions.createSource} onCreated={(created) => { setSecret({ created, rotated: false }); refresh(); }} />
      </Card>
      {sources.length === 0 ? (
        <Card>
          <div className="px-5 py-10 text-center" data-testid="sources-empty">
            <p className="text-sm font-medium text-slate-700">No webhook sources yet</p>
            <ol className="mx-auto mt-3 max-w-xl list-inside list-decimal space-y-1 text-left text-sm text-slate-500">
              <li>Create a source above; copy its secret (it is shown once).</li>
              <li>Subscribe a pipeline to an event type (or <code className="font-mono">*</code>), mapping the payload to its input.</li>
              <li>Have the sender POST JSON to the endpoint signed with <a className="text-brand-700 underline" href="https://www.standardwebhooks.com" rel="noreferrer" target="_blank">Standard Webhooks</a> (<code className="font-mono">webhook-id</code>, <code className="font-mono">webhook-timestamp</code>, <code className="font-mono">webhook-signature</code>) and an optional <code className="font-mono">x-pa-event</code> — the ready-made curl command does exactly that.</li>
            </ol>
          </div>
        </Card>
      ) : (
        <div className="space-y-6">
          {sources.map((source) => (
            <SourceCard
              key={source.id}
              source={source}
              pipelines={pipelines}
              actions={actions}
              onChanged={refresh}
              onSecret={(created) => setSecret({ created, rotated: true })}
            />
          ))}
        </div>
      )}
    </>
  );
}
