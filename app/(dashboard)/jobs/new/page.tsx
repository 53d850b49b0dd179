import type { Metadata } from "next";
import { Breadcrumb } from "@/components/ui/detail";
import { PageHeader } from "@/components/ui/card";
import { NewJobForm } from "@/components/jobs/new-job-form";
import { allJobKinds, describeJobKind } from "@/lib/jobs/kinds";
import { requirePagePermission } from "@/lib/auth/page-session";

export const metadata: Metadata = { title: "New job" };
export const dynamic = "force-dynamic";

export default async function NewJobPage({ searchParams }: { searchParams: Promise<{ kind?: string | string[] }> }) {
  await requirePagePermission("work.run");
  const kinds = allJobKinds().map((kind) => {
    const { name, title, description, inputSchema, maxAttempts } = describeJobKind(kind);
    return { name, title, description, inputSchema, maxAttempts };
  });
  const requested = (await searchParams).kind;
  const initialKind = kinds.find((k) => k.name === requested)?.name ?? kinds[0]!.name;
  return (
    <>
      <Breadcrumb href="/jobs" label="Jobs" current={"New"} />
      <PageHeader title="New job" description="Queue work for an agent by hand. Schedules, webhooks and chat create jobs the same way." />
      <NewJobForm kinds={kinds} initialKind={initialKind} />
    </>
  );
}
