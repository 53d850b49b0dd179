import type { Metadata } from "next";
import { formatRelative } from "@/components/ui/format";
import Link from "next/link";
import { Badge } from "@/components/ui/badge";
import { Card, EmptyState, PageHeader } from "@/components/ui/card";
import { CreateAgentForm } from "@/components/agents/create-agent-form";
import { listAgentsWithStats } from "@/lib/agents/service";
import { allJobKinds } from "@/lib/jobs/kinds";
import { allPipelines } from "@/lib/pipelines/catalog";
import { createAgentAction } from "./actions";

export const metadata: Metadata = { title: "Agents" };
export const dynamic = "force-dynamic";

function scope(names: readonly string[]): string {
  return names.length === 0 ? "none" : names.join(", ");
}

export default async function AgentsPage() {
  const agents = await listAgentsWithStats();
  const pipelines = allPipelines().map((p) => ({ name: p.name, title: p.title }));
  const jobKindOptions = allJobKinds().map((k) => ({ name: k.name, title: k.title }));
  return (
    <>
      <PageHeader title="Agents" description="Who may ask for work: each agent's scope, credential and tokens, and what it tried." />
      <CreateAgentForm pipelines={pipelines} jobKindOptions={jobKindOptions} create={createAgentAction} />
      <Card>
        {agents.length === 0 ? (
          <EmptyState title="No agents yet">Register one above, or run <code>npm run cli -- agents create &lt;name&gt;</code>.</EmptyState>
        ) : (
          <table className="w-full text-left text-sm">
            <thead className="border-b border-slate-100 text-xs uppercase tracking-wide text-slate-500">
              <tr>
                <th className="px-5 py-2.5 font-medium">Agent</th>
                <th className="px-3 py-2.5 font-medium">Pipelines</th>
                <th className="px-3 py-2.5 font-medium">Job kinds</th>
                <th className="px-3 py-2.5 font-medium">Last seen</th>
                <th className="px-3 py-2.5 font-medium">Active tokens</th>
                <th className="px-5 py-2.5 font-medium">Status</th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {agents.map((agent) => (
                <tr key={agent.id} className="hover:bg-slate-50">
                  <td className="px-5 py-3">
                    <Link href={`/agents/${agent.id}`} className="font-mono font-medium text-brand-700 hover:underline">{agent.name}</Link>
                    {agent.description ? <p className="text-xs text-slate-500">{agent.description}</p> : null}
                  </td>
                  <td className="px-3 py-3 font-mono text-xs text-slate-700">{scope(agent.pipelines)}</td>
                  <td className="px-3 py-3 font-mono text-xs text-slate-700">{scope(agent.jobKinds)}</td>
                  <td className="px-3 py-3 text-slate-600">{agent.lastSeenAt ? formatRelative(agent.lastSeenAt) : "never"}</td>
                  <td className="px-3 py-3 tabular-nums text-slate-700">{agent.activeTokens}</td>
                  <td className="px-5 py-3">{agent.disabledAt ? <Badge tone="red">disabled</Badge> : <Badge tone="green">active</Badge>}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </Card>
    </>
  );
}
