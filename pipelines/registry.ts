import type { AnyPipeline } from "@/lib/pipelines/define";
import { agentJobsCreate } from "./agent-jobs-create";
import { contentSaveDraft } from "./content-save-draft";
import { contextRead } from "./context-read";
import { contextSearch } from "./context-search";
import { contextWrite } from "./context-write";
import { emailClassify } from "./email-classify";
import { emailCreateReplyDraft } from "./email-create-reply-draft";
import { emailDiscardDraft } from "./email-discard-draft";
import { emailSendDraft } from "./email-send-draft";
import { emailTriage } from "./email-triage";
import { notesCapture } from "./notes-capture";
import { notifySend } from "./notify-send";
import { researchSaveBrief } from "./research-save-brief";
import { systemEcho } from "./system-echo";

// Every pipeline, by name. The compiler keeps this complete: a name added to PIPELINE_NAMES
// without an entry (or an entry without a name) does not build.

export const PIPELINE_NAMES = ["system.echo", "context.read", "context.search", "context.write", "notes.capture", "agent-jobs.create", "notify.send", "email.triage", "email.classify", "research.save-brief", "content.save-draft", "email.create-reply-draft", "email.send-draft", "email.discard-draft"] as const;

export type PipelineName = (typeof PIPELINE_NAMES)[number];

export const registry: { readonly [K in PipelineName]: AnyPipeline } = {
  "system.echo": systemEcho,
  "context.read": contextRead,
  "context.search": contextSearch,
  "context.write": contextWrite,
  "notes.capture": notesCapture,
  "agent-jobs.create": agentJobsCreate,
  "notify.send": notifySend,
  "email.triage": emailTriage,
  "email.classify": emailClassify,
  "research.save-brief": researchSaveBrief,
  "content.save-draft": contentSaveDraft,
  "email.create-reply-draft": emailCreateReplyDraft,
  "email.send-draft": emailSendDraft,
  "email.discard-draft": emailDiscardDraft,
};

for (const name of PIPELINE_NAMES) {
  if (registry[name].name !== name) throw new Error(`Registry entry ${name} holds pipeline ${registry[name].name}`);
}
