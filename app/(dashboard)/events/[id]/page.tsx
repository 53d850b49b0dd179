import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { EventDetail } from "@/components/events/event-detail";
import { isAppError } from "@/lib/errors";
import { getWebhookEvent } from "@/lib/events/list-events";
import { retryEventAction } from "../actions";
import { requirePagePermission } from "@/lib/auth/page-session";

export const dynamic = "force-dynamic";

type Props = { params: Promise<{ id: string }> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const { id } = await params;
  return { title: `Event ${id}` };
}

async function findEvent(id: string) {
  try {
    return await getWebhookEvent(id);
  } catch (error) {
    if (isAppError(error) && error.code === "not_found") notFound();
    throw error;
  }
}

export default async function EventPage({ params }: Props) {
  await requirePagePermission("activity.view");
  const event = await findEvent((await params).id);
  return <EventDetail initial={event} retry={retryEventAction} />;
}
