import type { TriageCategory } from "./categories";
import type { MailMessage } from "./parse-message";
import { collectIntentEvidence } from "./signals-intent";

// Stage 1's signals: each looks at one thing (a header, the sender, the subject, the body, the
// attachments) and, when it fires, adds weighted evidence for one category with a short reason.
// Weights are log-odds-like points; heuristics.ts turns them into a confidence. Signals that come
// from the same machinery (a list server adds List-Id, List-Post and Precedence together) share a
// group whose total is capped, so one list server does not count five times.

export type Evidence = { category: TriageCategory; weight: number; reason: string; group: EvidenceGroup };

export type EvidenceGroup =
  | "list-headers"
  | "bulk-content"
  | "automated-sender"
  | "known-service"
  | "automated-content"
  | "finance"
  | "action"
  | "invitation"
  | "transactional"
  | "broadcast"
  | "ask"
  | "conversation";

/** The most one group adds to its category. */
export const GROUP_CAPS: Record<EvidenceGroup, number> = {
  "list-headers": 5,
  "bulk-content": 4.5,
  "automated-sender": 4,
  "known-service": 4,
  "automated-content": 4,
  finance: 6,
  action: 4.5,
  invitation: 3.5,
  transactional: 5,
  broadcast: 3,
  ask: 4,
  conversation: 1.5,
};

/** Services whose mail is notifications about the owner's own activity (even when sent as a list). */
const NOTIFICATION_DOMAINS = [
  "github.com",
  "gitlab.com",
  "bitbucket.org",
  "atlassian.net",
  "atlassian.com",
  "slack.com",
  "linear.app",
  "sentry.io",
  "trello.com",
  "asana.com",
  "facebookmail.com",
  "notion.so",
  "vercel.com",
  "netlify.com",
  "heroku.com",
  "circleci.com",
  "travis-ci.com",
  "calendly.com",
];

/** Senders whose mail is about money: receipts, payouts, statements. */
const PAYMENT_DOMAINS = [
  "paypal.com",
  "stripe.com",
  "squareup.com",
  "wise.com",
  "transferwise.com",
  "revolut.com",
  "venmo.com",
  "intuit.com",
  "xero.com",
  "freshbooks.com",
  "americanexpress.com",
  "chase.com",
  "paddle.com",
  "gocardless.com",
  "klarna.com",
  "n26.com",
  "monzo.com",
  "coinbase.com",
];

const LIST_SOFTWARE_HEADERS = ["list-post", "list-help", "list-subscribe", "list-archive", "list-owner", "x-mailman-version", "x-beenthere", "mailing-list", "x-mailing-list", "x-list"];
const BULK_MAILER_HEADERS = ["feedback-id", "x-campaign", "x-campaignid"];

const NO_REPLY = /^(?:no[-_.]?reply|do[-_.]?not[-_.]?reply|donotreply|not[-_.]?reply|nobody|noreply[-_.].*|.*[-_.]noreply)$/;
const AUTOMATED_LOCAL = /^(?:notifications?|notify|alerts?|notices?|automated|auto[-_.]?(?:confirm|mailer)|system|robot|bot|daemon|cron|root|mailer-daemon|postmaster|security|account(?:s)?|verify|verification)$/;
/** Sender names (split on - _ . +) that declare bulk mail outright, and ones that merely suggest it. */
const BULK_TOKENS_STRONG = new Set(["newsletter", "newsletters", "digest", "rss", "rssfeeds", "feeds", "marketing", "promo", "promos", "promotions", "mailinglist", "listmanager", "listserv", "enews", "announce", "announcements", "bulletin", "offers", "deals", "specials", "mailings"]);
const BULK_TOKENS_WEAK = new Set(["news", "updates", "update", "info", "hello", "team", "mailer", "editor", "editors", "subscriber", "subscribers", "subscriptions", "list", "lists", "weekly", "daily", "magazine", "feed"]);
/** Hosts that mailing services send from: `newsletter.example.com`, `mail3.example.com`, `lists.example.org`. */
const MAILING_HOST_LABEL = /^(?:newsletters?|news|lists?|e?mail\d*|e-?mail\d*|em\d*|bounces?|mailer\d*|mailings?|marketing|updates|info|e|m|post|reply)$/;
const LIST_SENDER = /^owner-|-(?:admin|bounces?|request|owner)$|^bounces?[-+.]|-return-/;

const UNSUBSCRIBE_TEXT =
  /\bunsubscribe\b|\bopt[- ]?out\b|to stop receiving|no longer (?:wish|want) to receive|remove yourself from|manage (?:your )?(?:subscriptions?|(?:e-?mail )?preferences)|update your (?:e-?mail )?preferences|you (?:are receiving|received) this (?:e-?mail|message|newsletter)|you are subscribed|you subscribed to|mailing list/i;
const NEWSLETTER_SUBJECT = /\bnewsletter\b|\bdaily\b|\bmonthly\b|\be-?news\b|\bof the day\b|\bissue\s*#?\d+|\bvol(?:ume|\.)?\s*\d+|\bdigest\b|\bweekly\b|\bheadlines\b|\bthis week\b|\bedition\b|\bbulletin\b|\bdispatch\b|\bround-?up\b/i;
const DATED_SUBJECT =
  /\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.? \d{1,2}\b|\b\d{1,2} (?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\b|\b(?:january|february|march|april|june|july|august|september|october|november|december) \d{4}\b|\b\d{4}-\d{2}-\d{2}\b|\b\d{1,2}\/\d{1,2}\/\d{2,4}\b/i;
const COMMERCIAL_FOOTER =
  /view (?:this|it|the) (?:e-?mail |newsletter |message )?(?:in|on|with) (?:a|your) (?:web )?browser|forward (?:this|it) to a friend|privacy (?:policy|statement)|all rights reserved|copyright (?:©|\(c\) )?\d{4}|© ?\d{4}|this (?:e-?mail|newsletter|message) was sent to|to subscribe\b|add us to your address book/i;
const URL = /\bhttps?:\/\//gi;
const LIST_TAG = /^(?:(?:re|fwd?|aw):\s*)*\[[^\]]{2,40}\]/i;
const NOTIFICATION_SUBJECT =
  /password reset|reset your password|verify your (?:e-?mail|account|identity)|verification code|security (?:alert|notice)|new (?:sign-?in|login)|sign-?in attempt|confirm your (?:e-?mail|account|subscription|registration)|your (?:order|package|shipment|parcel) (?:has )?(?:shipped|been (?:shipped|delivered|dispatched)|is on (?:its|the) way|was delivered)|delivery status notification|undeliver(?:able|ed)|mail delivery (?:failed|failure|system)|returned mail|out of (?:the )?office|automatic reply|auto(?:matic)?[- ]?reply|^reminder\b|\[bug \d+\]|build (?:failed|passed|succeeded|fixed|broken)|^alert:|\bnotification\b|has been (?:created|updated|assigned)/i;
const DELIVERY_FAILURE = /^(?:mailer-daemon|postmaster)@/;
const FINANCE_SUBJECT =
  /\binvoices?\b|\breceipts?\b|\bpayments?\b|\bstatements?\b|\bbilling\b|\byour bill\b|\bbill (?:is|was) (?:ready|due)|\brefund(?:ed)?\b|\border confirmation\b|\byour (?:order|purchase)\b|\bpurchase\b|\btransaction\b|\bamount due\b|\bpayment due\b|\boverdue\b|\bremittance\b|\bpayout\b|\bdirect debit\b|\bcredit card\b|\bexpense reports?\b|\breimburse(?:ment)?\b|\bfactur[ae]\b|\brechnung\b/i;
const FINANCE_BODY = /\binvoice (?:number|no\.?|#)|\breceipt (?:number|no\.?|#)|\bamount (?:due|paid|charged)\b|\btotal (?:due|paid|charged)\b|\bbalance due\b|\bpayment (?:received|confirmation|of)\b|\byour (?:payment|invoice|receipt|statement)\b/i;
const FINANCE_LOCAL = new Set(["billing", "invoice", "invoices", "receipt", "receipts", "payment", "payments", "statement", "statements", "accounts-payable", "ar", "ap"]);
const FINANCE_ATTACHMENT = /invoice|receipt|statement|\bbill|factur|rechnung|quittung|remittance/i;
const AMOUNT = /(?:[$€£]\s?\d[\d,]*\.\d{2}\b|\b\d[\d,]*\.\d{2}\s?(?:usd|eur|gbp|chf)\b)/i;
const ACTION_SUBJECT =
  /action (?:required|needed)|response (?:needed|required)|please (?:reply|respond|review|confirm|sign|approve|advise|complete)|\brsvp\b|\burgent\b|\basap\b|\bdeadline\b|\bdue (?:today|tomorrow|by)\b|awaiting your|waiting (?:for|on) your|request for|\bcan you\b|\bcould you\b|\bwould you\b|are you available|signature (?:required|requested)|approval (?:needed|required|requested)|^invitation:/i;
const ACTION_BODY =
  /please (?:reply|respond|let me know|confirm|review|send|sign|approve|get back)|\bcan you\b|\bcould you\b|\bwould you mind\b|\blet me know\b|\bget back to me\b|\bby (?:monday|tuesday|wednesday|thursday|friday|tomorrow|end of (?:the )?(?:day|week))\b/i;

const clip = (value: string, length = 60) => (value.length > length ? `${value.slice(0, length - 1)}…` : value);

function domainOf(address: string): string {
  return address.slice(address.lastIndexOf("@") + 1);
}

function localOf(address: string): string {
  return address.slice(0, address.lastIndexOf("@"));
}

function inDomains(domain: string, list: readonly string[]): string | undefined {
  return list.find((d) => domain === d || domain.endsWith(`.${d}`));
}

/** Every signal that fires for this message. */
export function collectEvidence(message: MailMessage): Evidence[] {
  const found: Evidence[] = [];
  const add = (category: TriageCategory, group: EvidenceGroup, weight: number, reason: string) =>
    void found.push({ category, group, weight, reason });
  const h = message.headers;
  const address = message.from?.address ?? "";
  const local = localOf(address);
  const domain = domainOf(address);
  const subject = message.subject;
  const head = message.text.slice(0, 1_000);

  // Mailing lists and bulk mail: RFC 2369/2919 headers and what list servers and mailers add.
  if (h["list-unsubscribe"] !== undefined) add("newsletters", "list-headers", 3.5, "List-Unsubscribe header");
  if (h["list-id"] !== undefined) add("newsletters", "list-headers", 3.5, `List-Id ${clip(h["list-id"], 50)}`);
  const listSoftware = LIST_SOFTWARE_HEADERS.filter((name) => h[name] !== undefined);
  if (listSoftware.length > 0) add("newsletters", "list-headers", 2, `mailing-list headers (${listSoftware.slice(0, 3).join(", ")})`);
  const precedence = h.precedence?.toLowerCase();
  if (precedence && /\b(?:bulk|list|junk)\b/.test(precedence)) add("newsletters", "list-headers", 2, `Precedence: ${clip(precedence, 20)}`);
  const sender = /<?([^\s<>]+@[^\s<>]+)>?/.exec(h.sender ?? "")?.[1]?.toLowerCase();
  if (sender && sender !== address && LIST_SENDER.test(localOf(sender))) add("newsletters", "list-headers", 2, `Sender ${clip(sender, 50)} is list software`);
  if (LIST_TAG.test(subject)) add("newsletters", "list-headers", 1.5, "[list] tag in the subject");
  const bulkMailer = BULK_MAILER_HEADERS.filter((name) => h[name] !== undefined);
  if (bulkMailer.length > 0) add("newsletters", "list-headers", 2, `bulk-mailer headers (${bulkMailer.join(", ")})`);

  if (UNSUBSCRIBE_TEXT.test(message.text)) add("newsletters", "bulk-content", 2.5, "unsubscribe or subscription text in the body");
  const tokens = local.split(/[-_.+]/);
  if (tokens.some((t) => BULK_TOKENS_STRONG.has(t))) add("newsletters", "bulk-content", 3.5, `sender ${clip(address, 50)} is a newsletter address`);
  else if (tokens.some((t) => BULK_TOKENS_WEAK.has(t)) || LIST_SENDER.test(local)) add("newsletters", "bulk-content", 2, `sender ${clip(address, 50)} is a mailing address`);
  else if (/[#=]|\d{5,}/.test(local) || local.length > 30) add("newsletters", "bulk-content", 1.5, "machine-generated sender address");
  const hostLabels = domain.split(".").slice(0, -2);
  if (hostLabels.some((label) => MAILING_HOST_LABEL.test(label))) add("newsletters", "bulk-content", 1.5, `sent from a mailing host (${clip(domain, 40)})`);
  if (NEWSLETTER_SUBJECT.test(subject)) add("newsletters", "bulk-content", 1.5, "subject reads like a newsletter");
  else if (DATED_SUBJECT.test(subject)) add("newsletters", "bulk-content", 1, "a date in the subject, like an issue");
  if (COMMERCIAL_FOOTER.test(message.text)) add("newsletters", "bulk-content", 1.5, "commercial footer (privacy policy, view in browser, …)");
  const links = message.text.match(URL)?.length ?? 0;
  if (links >= 6) add("newsletters", "bulk-content", 1.5, `${links} links in the text`);

  // Automated notifications: machines writing about the owner's accounts, orders, jobs and mail.
  const autoSubmitted = h["auto-submitted"]?.toLowerCase();
  if (autoSubmitted && autoSubmitted !== "no") add("notifications", "automated-content", 4, `Auto-Submitted: ${clip(autoSubmitted, 30)}`);
  if (h["x-cron-env"] !== undefined || /^cron <|^anacron job/i.test(subject)) add("notifications", "automated-content", 4, "cron job output");
  if (DELIVERY_FAILURE.test(address) || h["content-type"]?.toLowerCase().includes("multipart/report")) {
    add("notifications", "automated-content", 4, "delivery status report");
  }
  if (precedence === "auto_reply" || h["x-autoreply"] !== undefined || h["x-autorespond"] !== undefined) add("notifications", "automated-content", 4, "automatic reply");
  if (NOTIFICATION_SUBJECT.test(subject)) add("notifications", "automated-content", 2.5, "subject reads like an automated notification");
  if (NO_REPLY.test(local)) add("notifications", "automated-sender", 2.5, `no-reply sender ${clip(address, 50)}`);
  if (AUTOMATED_LOCAL.test(local)) add("notifications", "automated-sender", 3, `automated sender ${clip(address, 50)}`);
  const service = inDomains(domain, NOTIFICATION_DOMAINS);
  if (service) add("notifications", "known-service", 4, `${service} sends activity notifications`);

  // Money: receipts, invoices, statements, payment services, invoices attached.
  const payment = inDomains(domain, PAYMENT_DOMAINS);
  if (payment) add("finance", "finance", 3.5, `known payment sender ${payment}`);
  if (FINANCE_LOCAL.has(local) || tokens.some((t) => FINANCE_LOCAL.has(t))) add("finance", "finance", 2, `billing sender ${clip(address, 50)}`);
  const financeWord = FINANCE_SUBJECT.exec(subject)?.[0];
  if (financeWord) add("finance", "finance", 3, `"${financeWord.toLowerCase()}" in the subject`);
  else {
    const bodyWord = FINANCE_BODY.exec(message.text)?.[0];
    if (bodyWord) add("finance", "finance", 2, `"${bodyWord.toLowerCase()}" in the body`);
  }
  const invoiceFile = message.attachments.find((a) => a.filename && FINANCE_ATTACHMENT.test(a.filename));
  if (invoiceFile) add("finance", "finance", 3, `attachment ${clip(invoiceFile.filename ?? "", 40)}`);
  else if (message.attachments.some((a) => a.contentType === "application/pdf")) add("finance", "finance", 0.5, "a PDF is attached");
  const amount = AMOUNT.exec(subject)?.[0] ?? (financeWord ? AMOUNT.exec(head)?.[0] : undefined);
  if (amount) add("finance", "finance", 1, `an amount (${amount.trim()})`);

  // Requests of the owner: invitations, deadlines, direct questions.
  if (message.attachments.some((a) => a.contentType === "text/calendar" || a.filename?.toLowerCase().endsWith(".ics")) || h["content-type"]?.toLowerCase().includes("text/calendar")) {
    add("action_needed", "invitation", 3.5, "calendar invitation");
  }
  const ask = ACTION_SUBJECT.exec(subject)?.[0];
  if (ask) add("action_needed", "action", 3, `"${ask.toLowerCase()}" in the subject`);
  const bodyAsk = ACTION_BODY.exec(message.text.slice(0, 1_500))?.[0];
  if (bodyAsk) add("action_needed", "action", 1.5, `"${bodyAsk.toLowerCase()}" in the body`);

  collectIntentEvidence(message, add, [...found]);
  return found;
}
