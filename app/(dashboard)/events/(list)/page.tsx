import type { Metadata } from "next";
import Link from "next/link";
import { buttonClass } from "@/components/ui/button";
import { PageHeader } from "@/components/ui/card";
import { EventsExplorer, type EventFilters } from "@/components/events/events-explorer";
import { EVENT_STATUSES, type EventStatus } from "@/lib/events/dto";
import { listEventsQuery, listWebhookEvents } from "@/lib/events/list-events";
import { listWebhookSources } from "@/lib/events/manage-sources";
import { requirePagePermission } from "@/lib/auth/page-session";
import { retryEventAction } from "../actions";
import { can } from "@/lib/auth/permissions";

export const metadata: Metadata = { title: "Events" };
export const dynamic = "force-dynamic";

function first(value: string | string[] | undefined): string | null {
  return (Array.isArray(value) ? value[0] : value) || null;
}

export default async function EventsPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const user = await requirePagePermission("activity.view");
  const params = await searchParams;
  const status = first(params.status);
  const filters: EventFilters = {
    source: first(params.source),
    status: status && (EVENT_STATUSES as readonly string[]).includes(status) ? (status as EventStatus) : null,
  };
  const [page, sources] = await Promise.all([
    listWebhookEvents(listEventsQuery.parse({ source: filters.source ?? undefined, status: filters.status ?? undefined })),
    listWebhookSources(),
  ]);
  return (
    <>
      <PageHeader
        title="Events"
        description="Webhook deliveries: verified, stored, then dispatched to the subscribed pipelines. Duplicates run once."
        actions={can(user.role, "settings.manage") ? <Link href="/events/sources" className={buttonClass("secondary")}>Sources</Link> : null}
      />
      <EventsExplorer key={JSON.stringify(filters)} initial={page} initialFilters={filters} sources={sources.map((s) => s.name)} retry={retryEventAction} />
    </>
  );
}
