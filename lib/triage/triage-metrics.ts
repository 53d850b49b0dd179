import { TRIAGE_CATEGORIES, type TriageCategory } from "./categories";

// How good triage is on labelled mail: accuracy, macro-F1, per-category precision and recall, the
// confusion matrix, what share of mail the auto-action thresholds let through and how much of that
// is right, and whether the confidences mean what they say (a reliability table and the expected
// calibration error). Used by `pa triage eval`, the training script and the benchmark.

/** `threshold`, when set, replaces the category's threshold for this decision (cross-validation picks them per fold). */
export type ScoredDecision = { truth: TriageCategory; predicted: TriageCategory; confidence: number; threshold?: number };
export type Thresholds = Record<TriageCategory, number>;

export type CategoryScore = { precision: number; recall: number; f1: number; support: number; predicted: number };
export type ReliabilityBin = { from: number; to: number; messages: number; confidence: number; accuracy: number };

export type TriageReport = {
  messages: number;
  accuracy: number;
  macroF1: number;
  categories: Record<TriageCategory, CategoryScore>;
  /** confusion[truth][predicted] = messages. */
  confusion: Record<TriageCategory, Record<TriageCategory, number>>;
  /** At the thresholds: the share of mail acted on automatically, and the share of that which is right. */
  automatic: { messages: number; coverage: number; precision: number; byCategory: Record<TriageCategory, { messages: number; precision: number }> };
  reliability: ReliabilityBin[];
  /** Expected calibration error: |confidence − accuracy| averaged over the bins, weighted by messages. */
  ece: number;
};

const zeros = () => Object.fromEntries(TRIAGE_CATEGORIES.map((c) => [c, 0])) as Record<TriageCategory, number>;
const share = (n: number, d: number) => (d === 0 ? 0 : n / d);

export function scoreDecisions(decisions: readonly ScoredDecision[], thresholds: Thresholds): TriageReport {
  const confusion = Object.fromEntries(TRIAGE_CATEGORIES.map((c) => [c, zeros()])) as TriageReport["confusion"];
  const autoAll = zeros();
  const autoRight = zeros();
  let right = 0;
  for (const d of decisions) {
    confusion[d.truth][d.predicted]++;
    if (d.truth === d.predicted) right++;
    if (d.confidence >= (d.threshold ?? thresholds[d.predicted])) {
      autoAll[d.predicted]++;
      if (d.truth === d.predicted) autoRight[d.predicted]++;
    }
  }
  const categories = Object.fromEntries(
    TRIAGE_CATEGORIES.map((c) => {
      const tp = confusion[c][c];
      const support = TRIAGE_CATEGORIES.reduce((s, p) => s + confusion[c][p], 0);
      const predicted = TRIAGE_CATEGORIES.reduce((s, t) => s + confusion[t][c], 0);
      const precision = share(tp, predicted);
      const recall = share(tp, support);
      return [c, { precision, recall, f1: precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall), support, predicted }];
    }),
  ) as Record<TriageCategory, CategoryScore>;
  const present = TRIAGE_CATEGORIES.filter((c) => categories[c].support > 0 || categories[c].predicted > 0);
  const autoMessages = TRIAGE_CATEGORIES.reduce((s, c) => s + autoAll[c], 0);
  const autoCorrect = TRIAGE_CATEGORIES.reduce((s, c) => s + autoRight[c], 0);
  const { bins, ece } = reliability(decisions);
  return {
    messages: decisions.length,
    accuracy: share(right, decisions.length),
    macroF1: share(
      present.reduce((s, c) => s + categories[c].f1, 0),
      present.length,
    ),
    categories,
    confusion,
    automatic: {
      messages: autoMessages,
      coverage: share(autoMessages, decisions.length),
      precision: share(autoCorrect, autoMessages),
      byCategory: Object.fromEntries(TRIAGE_CATEGORIES.map((c) => [c, { messages: autoAll[c], precision: share(autoRight[c], autoAll[c]) }])) as TriageReport["automatic"]["byCategory"],
    },
    reliability: bins,
    ece,
  };
}

const BIN_EDGES = [0, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95, 0.97, 0.99, 1.0001];

function reliability(decisions: readonly ScoredDecision[]): { bins: ReliabilityBin[]; ece: number } {
  const bins: ReliabilityBin[] = [];
  let ece = 0;
  for (let i = 0; i < BIN_EDGES.length - 1; i++) {
    const from = BIN_EDGES[i]!;
    const to = BIN_EDGES[i + 1]!;
    const inBin = decisions.filter((d) => d.confidence >= from && d.confidence < to);
    if (inBin.length === 0) continue;
    const confidence = inBin.reduce((s, d) => s + d.confidence, 0) / inBin.length;
    const accuracy = inBin.filter((d) => d.truth === d.predicted).length / inBin.length;
    bins.push({ from, to: Math.min(to, 1), messages: inBin.length, confidence, accuracy });
    ece += (inBin.length / decisions.length) * Math.abs(confidence - accuracy);
  }
  return { bins, ece };
}

const pct = (v: number) => `${(100 * v).toFixed(1)}%`;
const pad = (v: string | number, n: number) => String(v).padStart(n);

/** The report as the lines `pa triage eval` prints; thresholds null = chosen per fold (cross-validation). */
export function formatReport(report: TriageReport, thresholds: Thresholds | null): string[] {
  const lines = [
    `messages ${report.messages}: accuracy ${pct(report.accuracy)}, macro-F1 ${report.macroF1.toFixed(3)}`,
    `at the auto-action thresholds: ${report.automatic.messages} acted on automatically = coverage ${pct(report.automatic.coverage)}, precision ${pct(report.automatic.precision)}`,
    "",
    `${"category".padEnd(14)} ${pad("support", 7)} ${pad("precision", 9)} ${pad("recall", 7)} ${pad("F1", 6)}   ${pad("threshold", 9)} ${pad("auto", 5)} ${pad("auto prec", 9)}`,
  ];
  for (const c of TRIAGE_CATEGORIES) {
    const s = report.categories[c];
    const a = report.automatic.byCategory[c];
    lines.push(
      `${c.padEnd(14)} ${pad(s.support, 7)} ${pad(pct(s.precision), 9)} ${pad(pct(s.recall), 7)} ${pad(s.f1.toFixed(3), 6)}   ${pad(thresholds ? thresholds[c].toFixed(2) : "per fold", 9)} ${pad(a.messages, 5)} ${pad(a.messages ? pct(a.precision) : "—", 9)}`,
    );
  }
  const short = (c: string) => c.slice(0, 7);
  lines.push("", `confusion (rows: label, columns: decision)`, `${"".padEnd(14)} ${TRIAGE_CATEGORIES.map((c) => pad(short(c), 8)).join("")}`);
  for (const t of TRIAGE_CATEGORIES) lines.push(`${t.padEnd(14)} ${TRIAGE_CATEGORIES.map((p) => pad(report.confusion[t][p], 8)).join("")}`);
  lines.push("", `calibration: expected calibration error ${report.ece.toFixed(3)}`, `${"confidence".padEnd(14)} ${pad("messages", 8)} ${pad("mean conf", 9)} ${pad("accuracy", 8)}`);
  for (const b of report.reliability) lines.push(`${`${b.from.toFixed(2)}–${b.to.toFixed(2)}`.padEnd(14)} ${pad(b.messages, 8)} ${pad(pct(b.confidence), 9)} ${pad(pct(b.accuracy), 8)}`);
  return lines;
}
