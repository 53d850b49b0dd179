import { z } from "zod";
import { autocommit, type Tx } from "@/lib/db/transaction";
import { validationError } from "@/lib/errors";
import { TRIAGE_CATEGORIES, triageCategorySchema, type TriageCategory } from "./categories";
import { THRESHOLD_CURVES } from "./threshold-curves";

// What triage does with each category, and from which confidence on it does it without asking.
// Stored per category (triage_category_settings); a category without a row uses the defaults
// below. Nothing here ever deletes or sends mail: a label, archive (remove INBOX), mark read
// (remove UNREAD). A category may also hand new mail to agents as jobs (off by default).

/** Job kinds triage can create for new mail. */
export const TRIAGE_JOB_KINDS = ["inbox.reply-draft"] as const;
export type TriageJobKind = (typeof TRIAGE_JOB_KINDS)[number];

export const categorySettingSchema = z
  .strictObject({
    category: triageCategorySchema,
    labelName: z
      .string()
      .trim()
      .min(1, "must not be empty (leave it out for no label)")
      .max(100, "must be at most 100 characters")
      .refine((name) => !/^(INBOX|UNREAD|SPAM|TRASH|SENT|DRAFT|STARRED|IMPORTANT)$/i.test(name), "must not be one of Gmail's system labels")
      .nullable()
      .describe("Gmail label to apply (created when missing); null = none"),
    archive: z.boolean().describe("Remove from the inbox"),
    markRead: z.boolean(),
    threshold: z.number().min(0.5, "must be at least 0.5").max(1, "must be at most 1").describe("Applied automatically at or above this confidence; below it the message waits in review"),
    jobKind: z
      .enum(TRIAGE_JOB_KINDS)
      .nullable()
      .default(null)
      .describe(
        "Create an agent job of this kind for each new message of the category (once triage is sure, or once you confirm it in review). " +
          "inbox.reply-draft: an agent drafts a reply, saved as a Gmail draft in the thread for you to approve. null = off (the default)",
      ),
  })
  .meta({ id: "TriageCategorySetting" });

export type CategorySetting = z.output<typeof categorySettingSchema>;

export const CATEGORY_LABELS: Record<TriageCategory, string> = {
  action_needed: "Action needed",
  finance: "Finance",
  notifications: "Notifications",
  newsletters: "Newsletters",
  other: "Other",
};

const defaultThreshold = (c: TriageCategory) => THRESHOLD_CURVES.thresholds[c];

export const DEFAULT_CATEGORY_SETTINGS: Record<TriageCategory, CategorySetting> = {
  action_needed: { category: "action_needed", labelName: "Triage/Action needed", archive: false, markRead: false, threshold: defaultThreshold("action_needed"), jobKind: null },
  finance: { category: "finance", labelName: "Triage/Finance", archive: false, markRead: false, threshold: defaultThreshold("finance"), jobKind: null },
  notifications: { category: "notifications", labelName: "Triage/Notifications", archive: true, markRead: true, threshold: defaultThreshold("notifications"), jobKind: null },
  newsletters: { category: "newsletters", labelName: "Triage/Newsletters", archive: true, markRead: false, threshold: defaultThreshold("newsletters"), jobKind: null },
  other: { category: "other", labelName: null, archive: false, markRead: false, threshold: defaultThreshold("other"), jobKind: null },
};


export type CategorySettings = Record<TriageCategory, CategorySetting>;

export async function getCategorySettings(tx: Tx = autocommit()): Promise<CategorySettings> {
  const rows = await tx.triageCategorySetting.findMany();
  const settings = { ...DEFAULT_CATEGORY_SETTINGS };
  for (const row of rows) {
    const parsed = triageCategorySchema.safeParse(row.category);
    if (!parsed.success) continue;
    const jobKind = TRIAGE_JOB_KINDS.find((kind) => kind === row.jobKind) ?? null;
    settings[parsed.data] = { category: parsed.data, labelName: row.labelName, archive: row.archive, markRead: row.markRead, threshold: row.threshold, jobKind };
  }
  return settings;
}

export function listCategorySettings(settings: CategorySettings): CategorySetting[] {
  return TRIAGE_CATEGORIES.map((c) => settings[c]);
}

export async function saveCategorySetting(setting: CategorySetting, updatedBy: string | null): Promise<CategorySetting> {
  const parsed = categorySettingSchema.safeParse(setting);
  if (!parsed.success) throw validationError(parsed.error, "Category setting");
  const { category, ...data } = parsed.data;
  await autocommit().triageCategorySetting.upsert({
    where: { category },
    create: { category, ...data, updatedBy },
    update: { ...data, updatedBy },
  });
  return { category, ...data };
}

/** True when the setting changes nothing in the mailbox. */
export function hasNoActions(setting: CategorySetting): boolean {
  return !setting.labelName && !setting.archive && !setting.markRead;
}
