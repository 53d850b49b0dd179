import type { Metadata } from "next";
import Link from "next/link";
import { AreaForm } from "@/components/areas/area-form";
import { Badge } from "@/components/ui/badge";
import { Card, CardHeader, PageHeader } from "@/components/ui/card";
import { listAreas } from "@/lib/chat/areas";
import { formatUsd } from "@/lib/chat/budget";
import { chatModelConfigured } from "@/lib/chat/model";
import { getConfig } from "@/lib/config";
import { allPipelines } from "@/lib/pipelines/catalog";
import { requirePagePermission } from "@/lib/auth/page-session";

export const metadata: Metadata = { title: "Areas" };
export const dynamic = "force-dynamic";

export default async function AreasPage() {
  await requirePagePermission("settings.manage");
  const areas = await listAreas();
  const pipelines = allPipelines().map((p) => ({ name: p.name, title: p.title, sideEffects: p.sideEffects }));
  return (
    <>
      <PageHeader
        title="Areas"
        description="Each assistant's remit: the pipelines it may call, its model and prices, and the limits on each turn and day."
        actions={<Link href="/chat" className="text-sm font-medium text-brand-700 hover:underline">Open chat →</Link>}
      />
      {!chatModelConfigured() ? (
        <p className="mb-4 rounded-lg border border-amber-200 bg-amber-50 px-4 py-2.5 text-sm text-amber-900">
          No model server is configured yet: set OPENAI_API_KEY or OPENAI_BASE_URL and restart to chat.
        </p>
      ) : null}
      <Card className="mb-6">
        <div className="overflow-x-auto">
        <table className="w-full min-w-[640px] text-left text-sm" data-testid="areas-table">
          <thead className="border-b border-slate-100 text-xs uppercase tracking-wide text-slate-500">
            <tr>
              <th className="px-5 py-2.5 font-medium">Area</th>
              <th className="px-3 py-2.5 font-medium">Model</th>
              <th className="px-3 py-2.5 font-medium">Pipelines</th>
              <th className="px-3 py-2.5 font-medium">Limits</th>
              <th className="px-3 py-2.5 font-medium">Today</th>
              <th className="px-5 py-2.5 font-medium">Conversations</th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {areas.map((area) => {
              const share = area.dailyBudgetUsd > 0 ? area.spentTodayUsd / area.dailyBudgetUsd : 1;
              return (
                <tr key={area.id} className="hover:bg-slate-50">
                  <td className="px-5 py-3">
                    <Link href={`/areas/${area.slug}`} className="font-medium text-brand-700 hover:underline">{area.name}</Link>
                    <p className="text-xs text-slate-500">{area.description}</p>
                  </td>
                  <td className="whitespace-nowrap px-3 py-3 font-mono text-xs text-slate-700">{area.model}</td>
                  <td className="px-3 py-3 text-xs text-slate-700">{area.pipelines.includes("*") ? "all" : area.pipelines.join(", ") || "none"}</td>
                  <td className="px-3 py-3 text-xs text-slate-600">
                    {area.maxSteps} steps · {formatUsd(area.turnBudgetUsd)}/turn · {formatUsd(area.dailyBudgetUsd)}/day
                  </td>
                  <td className="px-3 py-3 text-xs">
                    <Badge tone={share >= 1 ? "red" : share >= 0.8 ? "amber" : "gray"}>{formatUsd(area.spentTodayUsd)}</Badge>
                    <span className="ml-1 text-slate-500">{area.turnsToday} turns</span>
                  </td>
                  <td className="px-5 py-3">
                    <Link href={`/chat?area=${area.slug}`} className="tabular-nums text-brand-700 hover:underline">{area.conversations} · chat</Link>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
        </div>
      </Card>
      <Card>
        <CardHeader title="New area" description="For example finance, with the pipelines and instructions that area needs." />
        <AreaForm
          mode="create"
          pipelines={pipelines}
          initial={{
            slug: "",
            name: "",
            description: "",
            instructions: "",
            pipelines: [],
            model: getConfig().CHAT_DEFAULT_MODEL,
            maxSteps: 8,
            turnBudgetUsd: 0.05,
            dailyBudgetUsd: 1,
            inputUsdPerMTok: 0.15,
            outputUsdPerMTok: 0.6,
          }}
        />
      </Card>
    </>
  );
}
