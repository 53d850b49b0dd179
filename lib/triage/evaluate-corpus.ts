import { TRIAGE_CATEGORIES, type StageOneResult, type TriageCategory } from "./categories";
import { classifyStageOne } from "./classify";
import type { CorpusFolder, CorpusMessage } from "./corpus";
import { parseMessage, type MailMessage } from "./parse-message";

// Stage 1 measured on the SpamAssassin corpus. The corpus has no triage labels, only folders, so
// the label mapping below says what each message should be. The question it answers: does stage 1
// tell list and bulk mail (our "newsletters") from person-to-person mail, and how much of the mail
// does it decide on its own?
//
// Label mapping (documented in the README):
//   hard-ham-1  → bulk: commercial newsletters and announcement lists, the whole folder.
//   easy-ham-*  → bulk when list or feed software delivered it, otherwise personal (direct copies of
//                 list threads, cron mail, notes between people). List software delivered it when
//                 1. the envelope sender is list software: the mbox `From ` line, stripped before the
//                    classifier sees the message (Return-Path when the line is missing), is an address
//                    like `x-admin@`, `x-request@`, `x-bounces@`, `owner-x@`, `x-return-N-…@`,
//                    `sentto-…@returns.groups.yahoo.com`, the `rssfeeds@` feed gateway or a `lists.`
//                    host; or
//                 2. the message carries the list server's own RFC 2369/2919 headers (List-Id,
//                    List-Unsubscribe, List-Post, Mailing-List), which authors never write (some
//                    lists keep the poster as envelope sender); or
//                 3. the sender is one of the newsletters in HAND_CHECKED_NEWSLETTERS, read by hand
//                    because they mail directly, without list software.
//               Rule 2 uses headers stage 1 also reads, so for those messages recall is by
//               construction; precision (misfires on personal mail) is not affected by it.
//   spam-*      → not scored: triage runs on mail the spam filter let through, and "spam" is not a
//                 triage category. What stage 1 makes of it is reported, not scored.

export type CorpusLabel = "bulk" | "personal" | "spam";

const LIST_ENVELOPE = /^owner-|-(?:admin|request|bounces?|owner)$|-return-|^sentto-|^rssfeeds$|^listmaster$/;
const LIST_SERVER_HEADERS = ["list-id", "list-unsubscribe", "list-post", "mailing-list"];

/** easy-ham senders whose mail is a newsletter sent without list software (checked by reading them). */
export const HAND_CHECKED_NEWSLETTERS = new Set([
  "pudge@perl.org", // use Perl daily headlines
  "danny@spesh.com", // NTK weekly
  "tips@spesh.com", // NTK weekly
  "webster@ryanairmail.com", // Ryanair offers
  "confnews@ora-info.ora.com", // O'Reilly conference newsletter
  "info@evilgerald.com", // The Evil Gerald
  "guterman@mediaunspun.imakenews.net", // Media Unspun
  "bruces@well.com", // Viridian Notes
  "webmaster@userland.com", // Scripting News update
  "donotuse@worldwidewords.org", // World Wide Words
]);

export function labelCorpusMessage(
  message: Pick<CorpusMessage, "folder" | "envelopeSender" | "raw">,
  parsed: Pick<MailMessage, "headers" | "from">,
): CorpusLabel {
  if (message.folder.startsWith("spam")) return "spam";
  if (message.folder === "hard-ham-1") return "bulk";
  if (LIST_SERVER_HEADERS.some((name) => parsed.headers[name] !== undefined)) return "bulk";
  if (parsed.from && HAND_CHECKED_NEWSLETTERS.has(parsed.from.address)) return "bulk";
  const envelope = message.envelopeSender ?? returnPath(message.raw);
  if (!envelope?.includes("@")) return "personal";
  const at = envelope.lastIndexOf("@");
  const local = envelope.slice(0, at);
  const host = envelope.slice(at + 1);
  return LIST_ENVELOPE.test(local) || host.startsWith("lists.") ? "bulk" : "personal";
}

function returnPath(raw: Buffer): string | null {
  const head = raw.subarray(0, 16_384).toString("latin1");
  const end = head.search(/\r?\n\r?\n/);
  const match = /^Return-Path:\s*<?([^>\s]*)>?/im.exec(end === -1 ? head : head.slice(0, end));
  return match?.[1]?.toLowerCase() || null;
}

export type Ratio = { numerator: number; denominator: number; value: number };

const ratio = (numerator: number, denominator: number): Ratio => ({
  numerator,
  denominator,
  value: denominator === 0 ? 0 : numerator / denominator,
});

export type FolderReport = {
  messages: number;
  decided: Ratio;
  /** Stage 1's category (decided or best guess) per category. */
  categories: Record<TriageCategory, number>;
};

export type CorpusEvaluation = {
  messages: number;
  labels: Record<CorpusLabel, number>;
  /** Newsletter/list detection on ham: predicted = decided as newsletters. */
  newsletters: { precision: Ratio; recall: Ratio };
  /** The same with undecided best guesses counted as predictions. */
  newslettersBestGuess: { precision: Ratio; recall: Ratio };
  /** Share of ham decided with confidence (rule or heuristic above the threshold). */
  decidedHam: Ratio;
  /** Share of all messages, spam included, decided with confidence. */
  decidedAll: Ratio;
  /** Of the ham stage 1 decided, the share whose category agrees with the label (bulk ↔ newsletters). */
  decidedAgreement: Ratio;
  folders: Record<string, FolderReport>;
  /** A few disagreements per kind, to read when tuning. */
  examples: { falsePositives: string[]; falseNegatives: string[] };
};

export type EvaluatedMessage = { folder: CorpusFolder; file: string; label: CorpusLabel; result: StageOneResult; subject: string; from: string };

/** Parses and classifies every message (no sender rules: the corpus owner made none). */
export async function evaluateCorpus(
  messages: AsyncIterable<CorpusMessage>,
  onMessage?: (message: EvaluatedMessage) => void,
): Promise<CorpusEvaluation> {
  const labels: Record<CorpusLabel, number> = { bulk: 0, personal: 0, spam: 0 };
  const folders: Record<string, FolderReport> = {};
  const counts = { tp: 0, fp: 0, fn: 0, guessTp: 0, guessFp: 0, guessFn: 0, ham: 0, hamDecided: 0, all: 0, allDecided: 0, agree: 0 };
  const examples = { falsePositives: [] as string[], falseNegatives: [] as string[] };
  const decidedCounts = new Map<string, number>();

  for await (const message of messages) {
    const parsed = await parseMessage(message.raw);
    const result = classifyStageOne(parsed);
    const label = labelCorpusMessage(message, parsed);
    labels[label]++;
    onMessage?.({ folder: message.folder, file: message.file, label, result, subject: parsed.subject, from: parsed.from?.address ?? "" });

    const folder = (folders[message.folder] ??= {
      messages: 0,
      decided: ratio(0, 0),
      categories: Object.fromEntries(TRIAGE_CATEGORIES.map((c) => [c, 0])) as Record<TriageCategory, number>,
    });
    folder.messages++;
    folder.categories[result.category]++;
    decidedCounts.set(message.folder, (decidedCounts.get(message.folder) ?? 0) + (result.decided ? 1 : 0));

    counts.all++;
    if (result.decided) counts.allDecided++;
    if (label === "spam") continue;

    counts.ham++;
    const isBulk = label === "bulk";
    const predicted = result.decided && result.category === "newsletters";
    const guessed = result.category === "newsletters";
    if (result.decided) {
      counts.hamDecided++;
      if (predicted === isBulk) counts.agree++;
    }
    if (predicted && isBulk) counts.tp++;
    if (predicted && !isBulk) counts.fp++;
    if (!predicted && isBulk) counts.fn++;
    if (guessed && isBulk) counts.guessTp++;
    if (guessed && !isBulk) counts.guessFp++;
    if (!guessed && isBulk) counts.guessFn++;
    const line = `${message.folder}/${message.file}: ${result.category} ${result.confidence} ${parsed.from?.address ?? "?"} "${parsed.subject.slice(0, 60)}"`;
    if (predicted && !isBulk && examples.falsePositives.length < 20) examples.falsePositives.push(line);
    if (!predicted && isBulk && examples.falseNegatives.length < 20) examples.falseNegatives.push(line);
  }

  for (const [name, report] of Object.entries(folders)) report.decided = ratio(decidedCounts.get(name) ?? 0, report.messages);
  return {
    messages: counts.all,
    labels,
    newsletters: { precision: ratio(counts.tp, counts.tp + counts.fp), recall: ratio(counts.tp, counts.tp + counts.fn) },
    newslettersBestGuess: {
      precision: ratio(counts.guessTp, counts.guessTp + counts.guessFp),
      recall: ratio(counts.guessTp, counts.guessTp + counts.guessFn),
    },
    decidedHam: ratio(counts.hamDecided, counts.ham),
    decidedAll: ratio(counts.allDecided, counts.all),
    decidedAgreement: ratio(counts.agree, counts.hamDecided),
    folders,
    examples,
  };
}
