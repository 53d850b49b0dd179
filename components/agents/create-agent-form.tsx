"use client";

import { useState, useTransition } from "react";
import { Button } from "@/components/ui/button";
import { Card, CardHeader } from "@/components/ui/card";
import { CredentialPanel } from "@/components/agents/credential-panel";
import { ScopeFields, describeIssues, toggled, type JobKindOption, type PipelineOption } from "@/components/agents/scope-fields";
import type { ActionResult, Issued, ScopeInput } from "@/components/agents/agent-actions";

export function CreateAgentForm({
  pipelines,
  jobKindOptions,
  create,
}: {
  pipelines: PipelineOption[];
  jobKindOptions: JobKindOption[];
  create: (input: ScopeInput & { name: string }) => Promise<ActionResult<Issued>>;
}) {
  const [name, setName] = useState("");
  const [description, setDescription] = useState("");
  const [selected, setSelected] = useState<string[]>([]);
  const [jobKinds, setJobKinds] = useState<string[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [issued, setIssued] = useState<Issued | null>(null);
  const [pending, start] = useTransition();

  if (issued) return <CredentialPanel issued={issued} rotated={false} onDismiss={() => setIssued(null)} />;

  function submit(e: React.FormEvent) {
    e.preventDefault();
    start(async () => {
      const result = await create({ name: name.trim(), description, pipelines: selected, jobKinds });
      if (result.status === "error") {
        setError(describeIssues(result.message, result.issues));
        return;
      }
      setError(null);
      setName("");
      setDescription("");
      setSelected([]);
      setJobKinds([]);
      setIssued(result.value);
    });
  }

  return (
    <Card className="mb-6">
      <CardHeader title="Register an agent" description="It gets a client id and secret, exchanged for short-lived tokens limited to this scope." />
      <form onSubmit={submit} className="space-y-4 px-5 py-4">
        <div className="grid gap-4 sm:grid-cols-2">
          <label className="block text-sm font-medium text-slate-700">
            Name
            <input required value={name} onChange={(e) => setName(e.target.value)} placeholder="openclaw-inbox" className="mt-1 block w-full rounded-lg border border-slate-300 px-3 py-2 font-mono text-sm" />
          </label>
          <label className="block text-sm font-medium text-slate-700">
            Description
            <input value={description} onChange={(e) => setDescription(e.target.value)} placeholder="What it is for" className="mt-1 block w-full rounded-lg border border-slate-300 px-3 py-2 text-sm" />
          </label>
        </div>
        <ScopeFields
          pipelines={pipelines}
          selected={selected}
          onToggle={(p, on) => setSelected((s) => toggled(s, p, on))}
          jobKindOptions={jobKindOptions}
          jobKinds={jobKinds}
          onJobKind={(k, on) => setJobKinds((s) => toggled(s, k, on))}
        />
        {error ? <p role="alert" className="text-sm text-rose-700">{error}</p> : null}
        <Button type="submit" disabled={pending}>{pending ? "Registering…" : "Register agent"}</Button>
      </form>
    </Card>
  );
}
