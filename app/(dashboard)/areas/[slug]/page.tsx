import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { AreaForm } from "@/components/areas/area-form";
import { Card, CardHeader, PageHeader, StatCard } from "@/components/ui/card";
import { areaFormValues, getAreaWithSpend } from "@/lib/chat/areas";
import { formatUsd } from "@/lib/chat/budget";
import { isAppError } from "@/lib/errors";
import { allPipelines } from "@/lib/pipelines/catalog";
import { requirePagePermission } from "@/lib/auth/page-session";

export const metadata: Metadata = { title: "Area" };
export const dynamic = "force-dynamic";

export default async function AreaPage({ params }: { params: Promise<{ slug: string }> }) {
  await requirePagePermission("settings.manage");
  const { slug } = await params;
  const area = await getAreaWithSpend(slug).catch((error: unknown) => {
    if (isAppError(error) && error.code === "not_found") notFound();
    throw error;
  });
  const pipelines = allPipelines().map((p) => ({ name: p.name, title: p.title, sideEffects: p.sideEffects }));
  return (
    <>
      <PageHeader
        title={area.name}
        description={area.description}
        actions={<Link href={`/chat?area=${area.slug}`} className="text-sm font-medium text-brand-700 hover:underline">Chat in this area →</Link>}
      />
      <div className="mb-6 grid gap-4 sm:grid-cols-3">
        <StatCard label="Spent today" value={formatUsd(area.spentTodayUsd)} hint={`of ${formatUsd(area.dailyBudgetUsd)} a day`} tone={area.spentTodayUsd >= area.dailyBudgetUsd ? "warn" : "default"} />
        <StatCard label="Turns today" value={area.turnsToday} />
        <StatCard label="Conversations" value={area.conversations} />
      </div>
      <Card>
        <CardHeader title="Settings" description="Changes apply to the next turn; no restart needed." />
        <AreaForm
          mode="edit"
          pipelines={pipelines}
          initial={areaFormValues(area)}
        />
      </Card>
    </>
  );
}
