import type { AnyJobKind } from "@/lib/jobs/define";
import { contentDraft } from "./content-draft";
import { inboxReplyDraft } from "./inbox-reply-draft";
import { researchBrief } from "./research-brief";

// Every job kind, by name. The compiler keeps this complete: a name added to JOB_KIND_NAMES
// without an entry (or an entry without a name) does not build.

export const JOB_KIND_NAMES = ["research.brief", "content.draft", "inbox.reply-draft"] as const;

export type JobKindName = (typeof JOB_KIND_NAMES)[number];

export const jobKindRegistry: { readonly [K in JobKindName]: AnyJobKind } = {
  "research.brief": researchBrief,
  "content.draft": contentDraft,
  "inbox.reply-draft": inboxReplyDraft,
};
