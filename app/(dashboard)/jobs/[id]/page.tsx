import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { JobDetail } from "@/components/jobs/job-detail";
import { listAgentsWithStats } from "@/lib/agents/service";
import { isAppError } from "@/lib/errors";
import { findJobKind } from "@/lib/jobs/kinds";
import type { MailboxUser } from "@/lib/email/mailbox-access";
import { getJob } from "@/lib/jobs/read-jobs";
import { requirePagePermission } from "@/lib/auth/page-session";

export const dynamic = "force-dynamic";

type Props = { params: Promise<{ id: string }> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const { id } = await params;
  return { title: `Job ${id}` };
}

async function findJob(viewer: MailboxUser, id: string) {
  try {
    return await getJob(viewer, id);
  } catch (error) {
    if (isAppError(error) && error.code === "not_found") notFound();
    throw error;
  }
}

export default async function JobPage({ params }: Props) {
  const user = await requirePagePermission("activity.view");
  const { id } = await params;
  const [detail, agents] = await Promise.all([findJob(user, id), listAgentsWithStats()]);
  const agentNames = Object.fromEntries(agents.map((a) => [a.id, a.name]));
  return <JobDetail initial={detail} kindTitle={findJobKind(detail.job.kind)?.title ?? null} agentNames={agentNames} />;
}
