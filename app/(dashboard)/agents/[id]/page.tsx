import { normaliseIp } from "@/lib/http/ip";
import type { Metadata } from "next";
import { formatDateTime, formatRelative } from "@/components/ui/format";
import { Breadcrumb } from "@/components/ui/detail";
import { notFound } from "next/navigation";
import { Badge } from "@/components/ui/badge";
import { Card, CardHeader, EmptyState, PageHeader } from "@/components/ui/card";
import { AgentControls, RevokeTokenButton } from "@/components/agents/agent-controls";
import { AgentHealthBadge, AgentHealthFacts, AgentWarning } from "@/components/agents/agent-health";
import { isAppError } from "@/lib/errors";
import { getAgentDetail } from "@/lib/agents/service";
import { allJobKinds } from "@/lib/jobs/kinds";
import { allPipelines } from "@/lib/pipelines/catalog";
import {
  deleteAgentAction,
  revokeAllTokensAction,
  revokeTokenAction,
  rotateSecretAction,
  setAgentDisabledAction,
  updateAgentAction,
} from "../actions";
import { requirePagePermission } from "@/lib/auth/page-session";
import { can } from "@/lib/auth/permissions";

export const metadata: Metadata = { title: "Agent" };
export const dynamic = "force-dynamic";

async function load(id: string) {
  try {
    return await getAgentDetail(id, { auditLimit: 100 });
  } catch (error) {
    if (isAppError(error) && error.code === "not_found") notFound();
    throw error;
  }
}

export default async function AgentPage({ params }: { params: Promise<{ id: string }> }) {
  const user = await requirePagePermission("activity.view");
  const mayManage = can(user.role, "settings.manage");
  const { id } = await params;
  const { agent, tokens, audit } = await load(decodeURIComponent(id));
  const pipelines = allPipelines().map((p) => ({ name: p.name, title: p.title }));
  const jobKindOptions = allJobKinds().map((k) => ({ name: k.name, title: k.title }));
  return (
    <>
      <Breadcrumb href="/agents" label="Agents" current={agent.name} />
      <PageHeader
        title={agent.name}
        description={`Client id ${agent.clientId} · last seen ${agent.lastSeenAt ? formatRelative(agent.lastSeenAt) : "never"}`}
        actions={agent.health ? <AgentHealthBadge health={agent.health} /> : null}
      />
      {agent.health ? (
        <Card className="mb-6">
          <CardHeader
            title="Rounds"
            description="Warns (here, on the overview and by notification) when work waits longer than the expected check-in, when no valid token is left, or when a round was refused."
          />
          {agent.health.warning ? <div className="px-5"><AgentWarning health={agent.health} /></div> : null}
          <AgentHealthFacts health={agent.health} />
        </Card>
      ) : null}
      {mayManage ? <AgentControls
        key={agent.updatedAt.toISOString()}
        agent={{ id: agent.id, name: agent.name, description: agent.description, jobKinds: agent.jobKinds, pipelines: agent.pipelines, disabled: Boolean(agent.disabledAt) }}
        pipelines={pipelines}
        jobKindOptions={jobKindOptions}
        actions={{
          update: updateAgentAction,
          rotate: rotateSecretAction,
          setDisabled: setAgentDisabledAction,
          revokeAll: revokeAllTokensAction,
          remove: deleteAgentAction,
        }}
      /> : null}
      <Card className="mb-6">
        <CardHeader title="Active tokens" description="Tokens are stored only as hashes; revoking takes effect on the next request." />
        {tokens.length === 0 ? (
          <EmptyState title="No active tokens" />
        ) : (
          <table className="w-full text-left text-sm">
            <thead className="border-b border-slate-100 text-xs uppercase tracking-wide text-slate-500">
              <tr>
                <th className="px-5 py-2.5 font-medium">Token</th>
                <th className="px-3 py-2.5 font-medium">Kind</th>
                <th className="px-3 py-2.5 font-medium">Family</th>
                <th className="px-3 py-2.5 font-medium">Issued</th>
                <th className="px-3 py-2.5 font-medium">Expires</th>
                <th className="px-5 py-2.5" />
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {tokens.map((t) => (
                <tr key={t.id}>
                  <td className="px-5 py-2.5 font-mono text-xs">{t.id}</td>
                  <td className="px-3 py-2.5">{t.kind}</td>
                  <td className="px-3 py-2.5 font-mono text-xs text-slate-500">{t.familyId}</td>
                  <td className="px-3 py-2.5 text-slate-600">{formatDateTime(t.createdAt)}</td>
                  <td className="px-3 py-2.5 text-slate-600">{formatDateTime(t.expiresAt)}</td>
                  <td className="px-5 py-2.5 text-right">{mayManage ? <RevokeTokenButton agentId={agent.id} tokenId={t.id} revoke={revokeTokenAction} /> : null}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </Card>
      <Card>
        <CardHeader title="Recent activity" description="Token exchanges, refusals and scope denials, newest first." />
        {audit.length === 0 ? (
          <EmptyState title="Nothing yet" />
        ) : (
          <table className="w-full text-left text-sm">
            <thead className="border-b border-slate-100 text-xs uppercase tracking-wide text-slate-500">
              <tr>
                <th className="px-5 py-2.5 font-medium">Time</th>
                <th className="px-3 py-2.5 font-medium">Action</th>
                <th className="px-3 py-2.5 font-medium">Result</th>
                <th className="px-3 py-2.5 font-medium">Target</th>
                <th className="px-3 py-2.5 font-medium">IP</th>
                <th className="px-5 py-2.5 font-medium">Request</th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {audit.map((e) => (
                <tr key={e.id}>
                  <td className="px-5 py-2.5 text-slate-600">{formatDateTime(e.createdAt)}</td>
                  <td className="px-3 py-2.5 font-mono text-xs">{e.action}</td>
                  <td className="px-3 py-2.5">{e.allowed ? <Badge tone="green">allowed</Badge> : <Badge tone="red">refused</Badge>}</td>
                  <td className="px-3 py-2.5 font-mono text-xs text-slate-600">{e.target ?? "-"}</td>
                  <td className="px-3 py-2.5 text-xs text-slate-500">{e.ip ? normaliseIp(e.ip) : "-"}</td>
                  <td className="px-5 py-2.5 font-mono text-xs text-slate-500">{e.requestId ?? "-"}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </Card>
    </>
  );
}
