import { TRIAGE_CATEGORIES } from "./categories";
import { scoreEvidence } from "./heuristics";
import type { Evidence } from "./signals";
import type { MailMessage } from "./parse-message";
import { looksPersonToPerson, ownText } from "./signals-intent";

// What the learned stage reads: a sparse vector of hashed features. Three kinds:
//   - stage 1's evidence, one number per (category, signal group), so the learned stage weighs the
//     signals from data instead of by hand;
//   - the shape of the message: which bulk/list/automation headers it carries, its content type,
//     attachments, recipients, reply/forward, lengths, links, questions in the sender's own words;
//   - words: of the subject, of the sender's own text, of the rest of the body
//     and of its end (where footers live).
// Not the sender: no address, name or domain words, so the shipped model learns kinds of mail,
// not the senders of its training mail (the owner's sender rules and corrections cover senders).
// Feature names are hashed (FNV-1a) into FEATURE_BUCKETS slots: no vocabulary to ship.

export const FEATURE_BUCKETS = 1 << 17;
/**
 * Stage 1's heuristic score for each category sits in K slots after the hashed ones, with fixed
 * weights (the identity, times PRIOR_WEIGHT, chosen by cross-validation): the learned stage starts from the heuristics' decision
 * and learns corrections to it. Where its training mail says nothing (mail unlike the development
 * set), the weights stay near zero and the heuristics decide.
 */
export const PRIOR_SLOT = FEATURE_BUCKETS;
export const PRIOR_WEIGHT = 0.75;
export const TOTAL_SLOTS = FEATURE_BUCKETS + TRIAGE_CATEGORIES.length;

/** Hashed features: slot → value. */
export type FeatureVector = Map<number, number>;

const WORD = /[a-z][a-z0-9']{1,24}/g;
/** Words too common to say anything. */
const STOP = new Set(
  "the and for you your are with this that from have not but was were has had will would can could our all any they them their there been its it's his her she him who what when which how about into out than then more some also just only very one two new may other such each per via etc".split(
    " ",
  ),
);

export function hashFeature(name: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < name.length; i++) {
    h ^= name.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0) % FEATURE_BUCKETS;
}

function words(text: string, limit: number): string[] {
  const found = text.toLowerCase().match(WORD) ?? [];
  const out: string[] = [];
  for (const w of found) {
    if (STOP.has(w)) continue;
    out.push(w);
    if (out.length >= limit) break;
  }
  return out;
}

const bucket = (value: number, edges: readonly number[]) => {
  let i = 0;
  while (i < edges.length && value >= edges[i]!) i++;
  return i;
};

class Builder {
  readonly vector: FeatureVector = new Map();
  constructor(private readonly names?: Map<number, string>) {}
  set(name: string, value = 1): void {
    const slot = hashFeature(name);
    this.names?.set(slot, name);
    this.vector.set(slot, (this.vector.get(slot) ?? 0) + value);
  }
  /** Words as one group whose values have length 1 (long mail does not shout louder). */
  words(prefix: string, list: readonly string[]): void {
    const unique = new Set(list);
    if (unique.size === 0) return;
    const value = 1 / Math.sqrt(unique.size);
    for (const w of unique) this.set(`${prefix}:${w}`, value);
  }
}

const HEADER_FEATURES = [
  "list-id",
  "list-unsubscribe",
  "list-unsubscribe-post",
  "list-post",
  "list-help",
  "list-subscribe",
  "list-archive",
  "x-mailman-version",
  "x-beenthere",
  "precedence",
  "auto-submitted",
  "x-auto-response-suppress",
  "feedback-id",
  "x-campaign",
  "x-mailer",
  "sender",
  "reply-to",
  "errors-to",
  "in-reply-to",
  "references",
];

function localShape(local: string): string {
  if (/\d{4,}|[=#]/.test(local) || local.length > 30) return "machine";
  if (/^[a-z]+[._-][a-z]+$/.test(local)) return "first.last";
  if (/^[a-z]+$/.test(local)) return "word";
  return "other";
}

/** `names`, when given, receives slot → feature name (for explaining a decision). */
export function extractFeatures(message: MailMessage, evidence: readonly Evidence[], names?: Map<number, string>): FeatureVector {
  const b = new Builder(names);
  const groups = new Map<string, number>();
  for (const e of evidence) groups.set(`${e.category}/${e.group}`, (groups.get(`${e.category}/${e.group}`) ?? 0) + e.weight);
  for (const [key, total] of groups) b.set(`ev:${key}`, Math.min(total, 6) / 3);
  const scores = scoreEvidence(evidence);
  TRIAGE_CATEGORIES.forEach((c, i) => b.vector.set(PRIOR_SLOT + i, scores[c]));

  const h = message.headers;
  for (const name of HEADER_FEATURES) if (h[name] !== undefined) b.set(`h:${name}`);
  if (h.precedence) b.set(`prec:${h.precedence.toLowerCase().slice(0, 12)}`);
  const contentType = (h["content-type"] ?? "text/plain").toLowerCase().split(";")[0]!.trim();
  b.set(`ct:${contentType}`);
  for (const a of message.attachments.slice(0, 10)) b.set(`att:${a.contentType.split(";")[0]}`, 0.5);
  b.set(`attn:${bucket(message.attachments.length, [1, 2, 5])}`);

  const local = message.from?.address.slice(0, message.from.address.lastIndexOf("@")) ?? "";
  b.set(`from:${message.from ? localShape(local) : "none"}`);
  b.set(`fromname:${message.from?.name ? (/\b(?:team|news|support|service|alerts?|info|the)\b/i.test(message.from.name) ? "org" : "named") : "none"}`);
  b.set(`to:${bucket(message.to.length, [1, 2, 4, 10])}`);
  b.set(`p2p:${looksPersonToPerson(message)}`);

  const subject = message.subject.toLowerCase();
  if (/^(?:(?:re|aw|sv)\s*:\s*)+/.test(subject)) b.set("subj:reply");
  if (/^(?:(?:re|aw)\s*:\s*)*(?:fw|fwd)\s*:/.test(subject)) b.set("subj:forward");
  if (/\?/.test(subject)) b.set("subj:question");
  if (subject.trim() === "") b.set("subj:empty");
  const subjectWords = words(subject, 20);
  b.words("s", subjectWords);

  const own = ownText(message.text);
  const rest = message.text.slice(own.length, 2_500);
  const tail = message.text.length > 2_500 ? message.text.slice(-1_500) : "";
  b.words("o", words(own, 200));
  b.words("b", words(rest, 300));
  b.words("t", words(tail, 200));
  b.set(`ownlen:${bucket(own.length, [1, 80, 300, 800, 1_190])}`);
  b.set(`len:${bucket(message.text.length, [1, 300, 1_000, 2_500, 3_900])}`);
  b.set(`quoted:${own.length < message.text.length}`);
  b.set(`questions:${bucket((own.match(/\?/g) ?? []).length, [1, 2, 4])}`);
  b.set(`links:${bucket((message.text.match(/\bhttps?:\/\//gi) ?? []).length, [1, 3, 6, 15])}`);
  return b.vector;
}
