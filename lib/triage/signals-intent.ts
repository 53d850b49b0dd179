import type { TriageCategory } from "./categories";
import type { MailMessage } from "./parse-message";
import type { Evidence, EvidenceGroup } from "./signals";

// Stage 1's second look, at what the mail is for rather than how it was sent. Bulk-mail machinery
// (List-Unsubscribe, Feedback-ID, a mailing host) carries both broadcasts and mail about one
// person, so these signals ask: did the reader trigger it (a sign-up, an alert they set, a request
// they made)? Is it about their account, subscription, order or ticket? Is it one machine event
// (a commit, a build, a ticket) rather than editorial text everyone gets? And in person-to-person
// mail: does the writer ask the reader for something, in their own words (not in the quoted or
// forwarded part)? General language only: no sender names, no addresses.

/** Where the writer's own words end: a quoted reply, a forward, an inline Outlook/Notes header block. */
const QUOTED_START =
  /-{2,}\s*(?:original message|forwarded by|forwarded message|begin forwarded)|\bon [^\n]{5,80}\bwrote:|\bfrom:\s[^\n]{3,120}?\b(?:sent|date):|\bto:\s[^\n]{1,300}?\bcc:[^\n]{0,300}?\bsubject:|\b\d{1,2}\/\d{1,2}\/\d{2,4},? \d{1,2}:\d{2}(?::\d{2})? ?[ap]m\b|\S+\/\S+@\S+ (?:on|sent by)\b|(?:^|\s)>\s?\S[^\n]{0,200}(?:\s>\s?\S)/i;

let lastOwn: { text: string; own: string } | null = null;

/** The start of the body the writer wrote themselves (at most 1,200 characters). */
export function ownText(text: string): string {
  // Stage 1 and the learned stage both ask for the same message in a row: remember the last answer.
  if (lastOwn?.text === text) return lastOwn.own;
  const cut = QUOTED_START.exec(text);
  const own = (cut ? text.slice(0, cut.index) : text).slice(0, 1_200);
  lastOwn = { text, own };
  return own;
}

const SIGNED_UP =
  /\b(?:confirm|verify|validate|activate) (?:your|this|the) (?:e-?mail|address|account|subscription|registration|sign-?up|membership|request)\b|\bsubscription (?:is )?(?:confirmed|activated|cancel(?:l)?ed|expir(?:es|ed|ing))|\byou(?:'ve| have)? (?:successfully )?(?:subscribed|signed up|registered|joined|unsubscribed|been (?:subscribed|added|removed))\b|\bthank(?:s| you) for (?:signing up|subscribing|registering|joining|your (?:order|registration|request|subscription))|\bwelcome to\b[^.]{0,40}\b(?:account|membership)|\btrial (?:period |subscription )?(?:expires|expired|ends|ending|will end)|\bmembership reminder\b|\bcancel(?:l)?ation (?:request|confirm)/i;
const YOUR_ACCOUNT =
  /\byour (?:account|password|username|user ?name|login|profile|subscription|membership|order|registration|request|ticket|watch ?list|portfolio|alert|saved search|preferences|trial|test results?|application)\b/i;
const ALERT_SET_UP =
  /\b(?:google|news|keyword|price|stock|quote|filing|sec|weather|severe[- ]weather|search|job|traffic) alerts?\b|\balert(?:\(tm\))?:|\bforecast for\b|\bwatch(?:ed)? (?:list|ticker)\b|\b(?:weather|flood|storm|wind|heat|winter) (?:advisory|warning|watch)\b|\byou (?:asked|requested|set up|created) (?:this|an|the|to)\b|\bas requested\b|\bthis (?:alert|notice|notification) (?:was|is) sent\b|\bto (?:stop|change|edit|delete|cancel) (?:this|these|your) alerts?\b/i;
const MACHINE_EVENT_SUBJECT =
  /\b(?:svn|cvs|git|bzr|hg|commit|r\d{3,}|rev(?:ision)? ?\d+)\b.*(?:-|:)|\[(?:[a-z0-9_. -]+ )?(?:#|bug |ticket |issue )\d+\]|\bbug \d{2,}\b|\bticket #?\d+|\bbuild (?:#?\d+ )?(?:failed|passed|succeeded|fixed|broken|successful|is back to normal)|\bfiling\b|\b\d+-[kq]\b|\b(?:rt|trac|jira|bugzilla)\b/i;
const MACHINE_EVENT_BODY =
  /\b(?:modified|added|removed|deleted) (?:paths|files):|\bauthor:\s\S+.*\bdate:|\brevision:\s*\d+|\bcommitted revision\b|\bnew revision:|\blog message:|\bticket <?url|\bticket #\d+|\bqueue:\s|\bstatus:\s*(?:new|open|resolved|closed|assigned)\b|\bbug #?\d+ (?:summary|depends)|\bchanged:\s|\bbuild log\b|\bchangeset\b/i;
const BROADCAST =
  /\bdear (?:subscriber|reader|member|customer|friend|colleague|valued)s?\b|\bin this (?:issue|edition)\b|\bthis (?:week|month)(?:'s)? (?:issue|edition|newsletter|highlights)\b|\bread more\b|\bclick here\b|\b(?:sale|save|off|discount|offer|deal)s? (?:ends|expires|today|now)\b|\b\d{1,2}% off\b|\blimited time\b|\bfree shipping\b|\b(?:register|sign up|rsvp) (?:now|today)\b|\bbreaking news\b|\bchip in\b|\btake (?:our|the|this) survey\b|\bdonate\b/i;
const ASK_SENTENCE =
  /\b(?:can|could|would|will|do|does|did|is|are|was|have|has|should|shall|may|might) (?:you|we|anyone|anybody|someone|somebody|this|that|it|there)\b[^.?!]{0,160}\?|(?:^|[.!?:;,]\s+)(?:what|when|where|who|how|which|why|any)\b[^.?!]{0,120}\?|\b(?:please|pls|kindly)\b(?!\s+(?:note|see|find|be advised|disregard|respond to \S+@|feel free))|\blet (?:me|us) know\b(?!\s+if (?:there is|you need) anything)|\blet'?s (?:talk|discuss|meet|get together|chat)\b|\b(?:i|we) (?:need|would like|want) (?:you|your)\b|\bneed (?:you|your (?:help|input|comments|approval|signature))\b|\bi (?:was|am) wondering (?:if|whether)\b|\b(?:i|we) would (?:be (?:very )?grateful|appreciate)\b|(?:^|[.!?:;,]\s+)(?:send|forward|fax|call|give|get|review|look at|check|print|arrange|schedule|set up|put|fill out|sign|mark|drop|change|add|delete|take a look)\b[^.?!]{0,80}[.!]|\b(?:thoughts|comments|suggestions|questions|interest|interested|ideas)\?|\bwhat do you think\b|\byou (?:can|could|may) (?:fax|send|return|e-?mail|forward|mail|drop off|reach|call)\b[^.?!]{0,60}\b(?:me|us|back)\b|\bcomments (?:should|must|are due|need to)\b|\bas soon as possible\b|\basap\b/gi;
/** Edits or comments on something the reader wrote: the conventions count them as an ask. */
const EDITS =
  /\b(?:my|some|a few|minor|our|the following|suggested) (?:comments|changes|edits|revisions|suggestions?|mark-?ups?|redlines?|corrections)\b|^\s*(?:revisions|changes|edits|comments)\b|\bhere are (?:my|our|some)\b|\bredline[ds]?\b|\btypos?\b|\bchange "[^"]{1,80}" to\b|\b(?:insert|delete|drop|replace|strike) (?:the|this|that) (?:first|second|third|last|word|sentence|paragraph|comma|phrase)\b|\bp(?:age|\.) ?\d+:|\bpara(?:graph)? \d/gi;
const NO_ASK =
  /^(?:thanks?|thank you|ok(?:ay)?|great|sounds good|looks good|fyi|for your information|congratulations|got it|will do|noted|agreed?|perfect|fine)\b/i;
const YOUR_ACCOUNT_ALL = new RegExp(YOUR_ACCOUNT.source, "gi");
const BROADCAST_ALL = new RegExp(BROADCAST.source, "gi");
const REPLY_OR_FORWARD = /^(?:(?:re|aw|sv)\s*:\s*)+/i;
const FORWARD = /^(?:(?:re|aw)\s*:\s*)*(?:fw|fwd)\s*:/i;

type Add = (category: TriageCategory, group: EvidenceGroup, weight: number, reason: string) => void;

function count(pattern: RegExp, text: string): number {
  pattern.lastIndex = 0;
  let n = 0;
  while (pattern.exec(text)) n++;
  return n;
}

/** Person-to-person: no list or bulk machinery, no automation header, someone named as recipient. */
export function looksPersonToPerson(message: MailMessage): boolean {
  const h = message.headers;
  if (h["list-id"] !== undefined || h["list-unsubscribe"] !== undefined || h["feedback-id"] !== undefined || h["precedence"] !== undefined) return false;
  if (h["auto-submitted"] !== undefined && h["auto-submitted"].toLowerCase() !== "no") return false;
  return message.to.length > 0;
}

/** Groups that say a machine or a mailing service sent it: then nobody asks the reader anything in person. */
const MACHINE_GROUPS = new Set<EvidenceGroup>(["list-headers", "bulk-content", "automated-sender", "automated-content", "known-service"]);

/** The signals about intent; collectEvidence adds them to the header and content signals found so far. */
export function collectIntentEvidence(message: MailMessage, add: Add, found: readonly Evidence[]): void {
  const subject = message.subject;
  const head = message.text.slice(0, 2_500);
  const all = `${subject} ${message.text}`;

  // Transactional: triggered by the reader, about their account, one machine event.
  const signedUp = SIGNED_UP.exec(`${subject} ${head}`)?.[0];
  if (signedUp) add("notifications", "transactional", 3, `about the reader's own sign-up or subscription ("${signedUp.toLowerCase().slice(0, 40)}")`);
  const alert = ALERT_SET_UP.exec(`${subject} ${head.slice(0, 1_000)}`)?.[0];
  if (alert) add("notifications", "transactional", 2.5, `an alert the reader set up ("${alert.toLowerCase().slice(0, 40)}")`);
  const yours = count(YOUR_ACCOUNT_ALL, head);
  if (yours > 0) add("notifications", "transactional", Math.min(yours, 3) * 0.75, `about the reader's account or request (${yours}× "your account/order/…")`);
  // Per-event machine mail is a notification even when a list carries it: subject and body count apart.
  if (MACHINE_EVENT_SUBJECT.test(subject)) add("notifications", "transactional", 2.5, "the subject names one machine event (a commit, build, ticket or filing)");
  if (MACHINE_EVENT_BODY.test(head)) add("notifications", "transactional", 2.5, "the body reads like a commit, build or ticket report");
  if (message.to.length === 0 && !message.headers["list-id"]) add("notifications", "transactional", 2, "no recipient named: a system or calendar entry");

  // Broadcast: the same editorial or promotional text for everyone.
  const broadcast = count(BROADCAST_ALL, all);
  if (broadcast > 0) add("newsletters", "broadcast", Math.min(broadcast, 3), `written for every subscriber (${broadcast} broadcast phrase${broadcast > 1 ? "s" : ""})`);

  if (!looksPersonToPerson(message) || found.some((e) => MACHINE_GROUPS.has(e.group) && e.weight >= 1.5)) return;
  // Person to person: an ask addressed to the reader, in the writer's own words.
  const own = ownText(message.text);
  const forward = FORWARD.test(subject);
  const asks = count(ASK_SENTENCE, own) + count(EDITS, own);
  if (asks > 0) add("action_needed", "ask", Math.min(1.5 + asks, 4), `asks the reader for something (${asks} request or question${asks > 1 ? "s" : ""} in the sender's own words)`);
  const ownWords = own.split(/\s+/).filter(Boolean).length;
  if (asks === 0 && (NO_ASK.test(own.trim()) || (forward && ownWords < 8))) {
    add("other", "conversation", 1.5, forward ? "a forward with no comment" : "a reply that only answers, thanks or approves");
  } else if (asks === 0 && REPLY_OR_FORWARD.test(subject)) add("other", "conversation", 1, "a reply with no question or request");
}
