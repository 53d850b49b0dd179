import type { Metadata } from "next";
import { formatRelative } from "@/components/ui/format";
import Link from "next/link";
import { AgentHealthBadge, AgentWarning } from "@/components/agents/agent-health";
import { Card, EmptyState, PageHeader } from "@/components/ui/card";
import { CreateAgentForm } from "@/components/agents/create-agent-form";
import { listAgentsWithStats } from "@/lib/agents/service";
import { allJobKinds } from "@/lib/jobs/kinds";
import { allPipelines } from "@/lib/pipelines/catalog";
import { createAgentAction } from "./actions";
import { requirePagePermission } from "@/lib/auth/page-session";
import { can } from "@/lib/auth/permissions";

export const metadata: Metadata = { title: "Agents" };
export const dynamic = "force-dynamic";

function scope(names: readonly string[]): string {
  return names.length === 0 ? "none" : names.join(", ");
}

export default async function AgentsPage() {
  const user = await requirePagePermission("activity.view");
  const agents = await listAgentsWithStats();
  const pipelines = allPipelines().map((p) => ({ name: p.name, title: p.title }));
  const jobKindOptions = allJobKinds().map((k) => ({ name: k.name, title: k.title }));
  return (
    <>
      <PageHeader title="Agents" description="Who may ask for work: each agent's scope, credential and tokens, and what it tried." />
      {can(user.role, "settings.manage") ? <CreateAgentForm pipelines={pipelines} jobKindOptions={jobKindOptions} create={createAgentAction} /> : null}
      <Card>
        {agents.length === 0 ? (
          <EmptyState title="No agents yet">Register one above, or run <code>npm run cli -- agents create &lt;name&gt;</code>.</EmptyState>
        ) : (
          <div className="overflow-x-auto"><table className="w-full min-w-[760px] text-left text-sm">
            <thead className="border-b border-slate-100 text-xs uppercase tracking-wide text-slate-500">
              <tr>
                <th className="px-5 py-2.5 font-medium">Agent</th>
                <th className="px-3 py-2.5 font-medium">Scope</th>
                <th className="px-3 py-2.5 font-medium">Last round</th>
                <th className="px-3 py-2.5 font-medium">Last claim</th>
                <th className="px-3 py-2.5 font-medium">Token expires</th>
                <th className="px-5 py-2.5 font-medium">Status</th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {agents.map((agent) => (
                <tr key={agent.id} className="align-top hover:bg-slate-50" data-agent={agent.name}>
                  <td className="px-5 py-3">
                    <Link href={`/agents/${agent.id}`} className="font-mono font-medium text-brand-700 hover:underline">{agent.name}</Link>
                    {agent.description ? <p className="text-xs text-slate-500">{agent.description}</p> : null}
                    <AgentWarning health={agent.health} />
                  </td>
                  <td className="px-3 py-3 font-mono text-xs text-slate-700">
                    <p>pipelines: {scope(agent.pipelines)}</p>
                    <p>jobs: {scope(agent.jobKinds)}</p>
                  </td>
                  <td className="px-3 py-3 text-slate-600">{formatRelative(agent.health.lastRoundAt)}</td>
                  <td className="px-3 py-3 text-slate-600">{formatRelative(agent.health.lastClaimAt)}</td>
                  <td className="px-3 py-3 text-slate-600">
                    {agent.health.tokenExpiresAt ? formatRelative(agent.health.tokenExpiresAt) : "no valid token"}
                    <p className="text-xs text-slate-400">{agent.activeTokens} active</p>
                  </td>
                  <td className="px-5 py-3"><AgentHealthBadge health={agent.health} /></td>
                </tr>
              ))}
            </tbody>
          </table></div>
        )}
      </Card>
    </>
  );
}
