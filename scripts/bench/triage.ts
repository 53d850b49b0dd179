// npm run bench:triage [-- --parts stage1 --rounds 1 --warmup 300]
//
// What email triage costs. Each part is one function in PARTS; they run in the order given.
//   stage1    the SpamAssassin corpus (6,046 real messages, read into memory first): parse + stage 1
//             classification, one message after another. Messages per second, p50/p99 per message
//             (parse, classify and both), and memory: this process before, at its peak, and after.
//   (backfill, a 5,000-message backfill from a fake Gmail server, is to be added as another part.)
// No database, no network. Figures, not assertions: compare them between changes on the same machine.
import { parseArgs } from "node:util";
import { classifyStageOne } from "@/lib/triage/classify";
import { readCorpus, type CorpusMessage } from "@/lib/triage/corpus";
import { parseMessage } from "@/lib/triage/parse-message";
import { formatTable, mib, ms, summarize } from "./measure";

const USAGE = `Usage: npm run bench:triage -- [options]
  --parts LIST   comma-separated parts to run (default: all; available: stage1)
  --rounds N     passes over the corpus in stage1 (default 1)
  --warmup N     messages classified before measuring (default 300)`;

const { values: args } = parseArgs({
  options: {
    parts: { type: "string" },
    rounds: { type: "string", default: "1" },
    warmup: { type: "string", default: "300" },
    help: { type: "boolean", short: "h", default: false },
  },
});

function positiveInt(name: string, value: string, min = 1): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < min) {
    console.error(`--${name} must be a whole number of at least ${min}, not "${value}"\n\n${USAGE}`);
    process.exit(2);
  }
  return n;
}

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
  const started = performance.now();
  for (let round = 0; round < options.rounds; round++) {
    say(`round ${round + 1} of ${options.rounds}: ${corpus.length} messages …`);
    for (const message of corpus) {
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
  stopSampling();
  const rssAfter = process.memoryUsage().rss;

  const count = corpus.length * options.rounds;
  const row = (label: string, samples: number[]) => {
    const s = summarize(samples);
    return [label, ms(s.p50), ms(s.p95), ms(s.p99), ms(s.max)];
  };
  console.log(`\nstage 1 on the SpamAssassin corpus: ${corpus.length} messages (${mib(bytes)}), ${options.rounds} round(s)`);
  console.log(`  ${Math.round(count / seconds)} messages/s (parse + classify), ${seconds.toFixed(1)} s in all; decided ${((100 * decided) / count).toFixed(1)} %\n`);
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
}

type Options = { rounds: number; warmup: number };

// Parts run in this order; a new part (the Gmail backfill) is one more entry.
const PARTS: Record<string, (options: Options) => Promise<void>> = {
  stage1: benchStageOne,
};

async function main(): Promise<void> {
  if (args.help) {
    console.log(USAGE);
    return;
  }
  const options: Options = { rounds: positiveInt("rounds", args.rounds), warmup: positiveInt("warmup", args.warmup, 0) };
  const parts = args.parts ? args.parts.split(",").map((p) => p.trim()) : Object.keys(PARTS);
  const unknown = parts.filter((p) => !(p in PARTS));
  if (unknown.length > 0) {
    console.error(`unknown part(s): ${unknown.join(", ")}\n\n${USAGE}`);
    process.exit(2);
  }
  for (const part of parts) await PARTS[part]!(options);
}

await main();
