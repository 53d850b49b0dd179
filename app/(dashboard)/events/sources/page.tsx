import type { Metadata } from "next";
import Link from "next/link";
import { Breadcrumb } from "@/components/ui/detail";
import { buttonClass } from "@/components/ui/button";
import { PageHeader } from "@/components/ui/card";
import { SourcesManager } from "@/components/events/sources-manager";
import { listWebhookSources } from "@/lib/events/manage-sources";
import { allPipelines } from "@/lib/pipelines/catalog";
import {
  addSubscriptionAction,
  createSourceAction,
  deleteSourceAction,
  removeSubscriptionAction,
  rotateSecretAction,
  setSourceEnabledAction,
  setSubscriptionEnabledAction,
} from "./actions";
import { requirePagePermission } from "@/lib/auth/page-session";

export const metadata: Metadata = { title: "Webhook sources" };
export const dynamic = "force-dynamic";

export default async function SourcesPage() {
  await requirePagePermission("settings.manage");
  const sources = await listWebhookSources();
  const pipelines = allPipelines().map((p) => ({ name: p.name, title: p.title }));
  return (
    <>
      <Breadcrumb href="/events" label="Events" current={"Sources"} />
      <PageHeader
        title="Webhook sources"
        description="Who may send events, with which signing secret, and which pipelines run for them."
        actions={<Link href="/events" className={buttonClass("secondary")}>Events</Link>}
      />
      <SourcesManager
        sources={sources}
        pipelines={pipelines}
        actions={{
          createSource: createSourceAction,
          rotateSecret: rotateSecretAction,
          setSourceEnabled: setSourceEnabledAction,
          deleteSource: deleteSourceAction,
          addSubscription: addSubscriptionAction,
          setSubscriptionEnabled: setSubscriptionEnabledAction,
          removeSubscription: removeSubscriptionAction,
        }}
      />
    </>
  );
}
