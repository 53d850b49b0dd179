"use client";

import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { Button } from "@/components/ui/button";
import { Card, CardHeader } from "@/components/ui/card";
import { CredentialPanel } from "@/components/agents/credential-panel";
import { ScopeFields, describeIssues, toggled, type JobKindOption, type PipelineOption } from "@/components/agents/scope-fields";
import type { ActionResult, Issued, ScopeInput } from "@/components/agents/agent-actions";

// The agent detail page's controls: scope editing, secret rotation, disable/enable, revoking
// tokens (all, or one from the tokens table) and deletion.

export type AgentControlActions = {
  update(id: string, input: ScopeInput): Promise<ActionResult>;
  rotate(id: string, revokeTokens: boolean): Promise<ActionResult<Issued>>;
  setDisabled(id: string, disabled: boolean): Promise<ActionResult>;
  revokeAll(id: string): Promise<ActionResult<number>>;
  remove(id: string): Promise<ActionResult>;
};

type Agent = { id: string; name: string; description: string | null; jobKinds: string[]; pipelines: string[]; disabled: boolean };

export function AgentControls({ agent, pipelines, jobKindOptions, actions }: { agent: Agent; pipelines: PipelineOption[]; jobKindOptions: JobKindOption[]; actions: AgentControlActions }) {
  const router = useRouter();
  const [description, setDescription] = useState(agent.description ?? "");
  const [selected, setSelected] = useState(agent.pipelines);
  const [jobKinds, setJobKinds] = useState(agent.jobKinds);
  const [message, setMessage] = useState<{ tone: "ok" | "error"; text: string } | null>(null);
  const [issued, setIssued] = useState<Issued | null>(null);
  const [pending, start] = useTransition();

  function run<T>(fn: () => Promise<ActionResult<T>>, ok: (value: T) => string) {
    start(async () => {
      const result = await fn();
      if (result.status === "error") {
        setMessage({ tone: "error", text: describeIssues(result.message, result.issues) });
        return;
      }
      setMessage({ tone: "ok", text: ok(result.value) });
      router.refresh();
    });
  }

  return (
    <>
      {issued ? <CredentialPanel issued={issued} rotated onDismiss={() => setIssued(null)} /> : null}
      {message ? (
        <p role={message.tone === "error" ? "alert" : "status"} className={`mb-4 text-sm ${message.tone === "error" ? "text-rose-700" : "text-emerald-700"}`}>{message.text}</p>
      ) : null}
      <div className="mb-6 grid gap-6 lg:grid-cols-[2fr_1fr]">
        <Card>
          <CardHeader title="Scope" description="Applies to the agent's next request; tokens already issued follow it." />
          <form
            className="space-y-4 px-5 py-4"
            onSubmit={(e) => {
              e.preventDefault();
              run(() => actions.update(agent.id, { description, pipelines: selected, jobKinds }), () => "Scope saved.");
            }}
          >
            <label className="block text-sm font-medium text-slate-700">
              Description
              <input value={description} onChange={(e) => setDescription(e.target.value)} className="mt-1 block w-full rounded-lg border border-slate-300 px-3 py-2 text-sm" />
            </label>
            <ScopeFields
              pipelines={pipelines}
              selected={selected}
              onToggle={(p, on) => setSelected((s) => toggled(s, p, on))}
              jobKindOptions={jobKindOptions}
              jobKinds={jobKinds}
              onJobKind={(k, on) => setJobKinds((s) => toggled(s, k, on))}
            />
            <Button type="submit" disabled={pending}>Save scope</Button>
          </form>
        </Card>
        <Card>
          <CardHeader title="Credential and access" />
          <div className="flex flex-col gap-2 px-5 py-4">
            <Button
              variant="secondary"
              disabled={pending}
              onClick={() =>
                start(async () => {
                  const result = await actions.rotate(agent.id, false);
                  if (result.status === "error") setMessage({ tone: "error", text: result.message });
                  else {
                    setMessage(null);
                    setIssued(result.value);
                    router.refresh();
                  }
                })
              }
            >
              Rotate client secret
            </Button>
            <Button variant="secondary" disabled={pending} onClick={() => run(() => actions.revokeAll(agent.id), (n) => `Revoked ${n} token${n === 1 ? "" : "s"}.`)}>
              Revoke all tokens
            </Button>
            <Button
              variant={agent.disabled ? "primary" : "secondary"}
              disabled={pending}
              onClick={() => run(() => actions.setDisabled(agent.id, !agent.disabled), () => (agent.disabled ? "Enabled." : "Disabled; its tokens were revoked."))}
            >
              {agent.disabled ? "Enable agent" : "Disable agent (revokes tokens)"}
            </Button>
            <Button
              variant="danger"
              disabled={pending}
              onClick={() => {
                if (!window.confirm(`Delete ${agent.name} and its tokens? Its audit events are kept.`)) return;
                start(async () => {
                  const result = await actions.remove(agent.id);
                  if (result.status === "error") setMessage({ tone: "error", text: result.message });
                  else router.push("/agents");
                });
              }}
            >
              Delete agent
            </Button>
          </div>
        </Card>
      </div>
    </>
  );
}

export function RevokeTokenButton({ agentId, tokenId, revoke }: { agentId: string; tokenId: string; revoke: (id: string, tokenId: string) => Promise<ActionResult> }) {
  const router = useRouter();
  const [pending, start] = useTransition();
  const [error, setError] = useState<string | null>(null);
  return (
    <span className="inline-flex items-center gap-2">
      <Button
        variant="ghost"
        className="px-2 py-1 text-xs"
        disabled={pending}
        onClick={() =>
          start(async () => {
            const result = await revoke(agentId, tokenId);
            if (result.status === "error") setError(result.message);
            else router.refresh();
          })
        }
      >
        Revoke
      </Button>
      {error ? <span className="text-xs text-rose-700">{error}</span> : null}
    </span>
  );
}
