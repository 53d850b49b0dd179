import { describe, expect, it } from "vitest";
import { readCorpus } from "./corpus";
import { evaluateCorpus, type CorpusEvaluation } from "./evaluate-corpus";

// Stage 1 on the 6,046 real messages of the SpamAssassin corpus, with the label mapping of
// evaluate-corpus.ts. The thresholds sit a little below the figures measured when the heuristics
// were written (README, "Email triage — stage 1"): a change that makes newsletter/list detection
// or the share of mail decided worse fails here. Parses the corpus once (~8 s).

let evaluation: CorpusEvaluation;

describe("stage 1 on the SpamAssassin corpus", () => {
  it("reads and labels every message", { timeout: 60_000 }, async () => {
    evaluation = await evaluateCorpus(readCorpus());
    expect(evaluation.messages).toBe(6_046);
    expect(evaluation.labels).toEqual({ bulk: 3_945, personal: 205, spam: 1_896 });
  });

  it("detects newsletters and list mail precisely and almost completely", () => {
    // Measured before the intent signals: precision 99.6 % (3875/3891), recall 98.2 % (3875/3945).
    // Since then per-event machine mail carried by a list (commits, build status, tickets) counts
    // as a notification, as the labelling conventions say, though this corpus's mapping calls all
    // list mail bulk: recall measured 96.7 %.
    expect(evaluation.newsletters.precision.value).toBeGreaterThanOrEqual(0.99);
    expect(evaluation.newsletters.recall.value).toBeGreaterThanOrEqual(0.96);
    // Counting undecided best guesses: precision 95.7 %, recall 99.5 % (98.3 % with the intent signals).
    expect(evaluation.newslettersBestGuess.recall.value).toBeGreaterThanOrEqual(0.975);
  });

  it("decides most ham on its own, and agrees with the labels when it does", () => {
    // Measured: 93.9 % of ham decided, 72.6 % of all mail (spam included); 99.5 % agreement.
    expect(evaluation.decidedHam.value).toBeGreaterThanOrEqual(0.92);
    expect(evaluation.decidedAll.value).toBeGreaterThanOrEqual(0.7);
    expect(evaluation.decidedAgreement.value).toBeGreaterThanOrEqual(0.99);
    // hard-ham is the hard part: commercial mail without list headers. Measured 80.4 %.
    expect(evaluation.folders["hard-ham-1"]!.decided.value).toBeGreaterThanOrEqual(0.78);
  });

  it("keeps person-to-person mail away from confident decisions", () => {
    // Of the 205 personal messages, the ones decided as newsletters are the false positives above;
    // the rest that are decided are cron output and bounces (notifications).
    const personalDecidedAsNewsletters = evaluation.newsletters.precision.denominator - evaluation.newsletters.precision.numerator;
    expect(personalDecidedAsNewsletters).toBeLessThanOrEqual(25);
  });
});
