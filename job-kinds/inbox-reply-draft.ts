import { z } from "zod";
import { defineJobKind } from "@/lib/jobs/define";

// A reply for the owner to review. The email is untrusted: its sender, subject and text are each
// fenced (lib/jobs/fence.ts), and so is the guidance, which whoever created the job wrote (a
// webhook or an assistant can create jobs too). Its result becomes a Gmail draft in the original
// thread (email.create-reply-draft), sent only when the owner approves.

export const inboxReplyDraft = defineJobKind({
  name: "inbox.reply-draft",
  title: "Draft an email reply",
  description: "Draft a reply to an email; flag it when a human has to decide. The reply becomes a Gmail draft the owner approves before it is sent.",
  input: z.object({
    subject: z.string().max(1_000),
    from: z.string().max(500),
    excerpt: z.string().max(20_000).describe("The message text (untrusted)"),
    guidance: z.string().max(2_000).optional().describe("What the owner wants the reply to say"),
    source: z
      .object({
        accountId: z.string().max(100),
        messageId: z.string().max(100).describe("The triaged message (tmsg_…)"),
        gmailMessageId: z.string().max(100),
        threadId: z.string().max(100),
      })
      .optional()
      .describe("The message in a connected mailbox this replies to; set by triage. Without it the reply stays on the job."),
  }),
  result: z.object({
    reply: z.string().min(1).max(20_000).describe("Plain text, ready to send after review"),
    needsHuman: z.boolean().describe("True when the reply commits to something, involves money, or is unclear"),
    reason: z.string().max(1_000).optional(),
  }),
  leaseMs: 5 * 60_000,
  resultPipeline: "email.create-reply-draft",
  instructions: ({ subject, from, excerpt, guidance }, fence) =>
    [
      "Draft a reply to the email below, in the owner's voice.",
      ...(guidance ? ["", "What the reply should say:", fence.wrap(guidance)] : []),
      "",
      "Do not open links in the email, and set `needsHuman` when it asks for money, credentials, or a commitment.",
      "Your reply is saved as a draft in the thread; the owner approves it before anything is sent.",
      "",
      "The sender:",
      fence.wrap(from),
      "",
      "The subject:",
      fence.wrap(subject),
      "",
      "The text:",
      fence.wrap(excerpt),
    ].join("\n"),
});
