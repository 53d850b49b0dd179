import type { Metadata } from "next";
import { Card, CardHeader, PageHeader } from "@/components/ui/card";
import { Breadcrumb } from "@/components/ui/detail";
import { CategorySettingForm } from "@/components/triage/category-settings-form";
import { SenderRules } from "@/components/triage/sender-rules";
import { TriageProvider } from "@/components/triage/triage-context";
import { listSenderRules } from "@/lib/triage/rules";
import { CATEGORY_LABELS, getCategorySettings, listCategorySettings } from "@/lib/triage/settings";
import { requirePagePermission } from "@/lib/auth/page-session";

export const metadata: Metadata = { title: "Triage settings" };
export const dynamic = "force-dynamic";

export default async function TriageSettingsPage() {
  await requirePagePermission("activity.view");
  const [settings, rules] = await Promise.all([getCategorySettings(), listSenderRules()]);
  return (
    <TriageProvider titles={CATEGORY_LABELS}>
      <Breadcrumb href="/triage" label="Email triage" current="Settings" />
      <PageHeader
        title="Triage settings"
        description="What triage does with each category, and the sender rules it applies before anything else. Nothing here deletes or sends mail."
      />
      <Card>
        <CardHeader
          title="Categories"
          description="A label, archive and mark read, applied automatically only at or above the category's threshold. Below it, the message waits in the review queue, untouched."
        />
        <div className="divide-y divide-slate-100">
          {listCategorySettings(settings).map((setting) => (
            <CategorySettingForm key={setting.category} initial={setting} />
          ))}
        </div>
      </Card>
      <Card className="mt-6">
        <CardHeader title="Sender rules" description="Decide a sender's mail outright, with full confidence, before the heuristics and the model." />
        <SenderRules initial={rules} />
      </Card>
    </TriageProvider>
  );
}
