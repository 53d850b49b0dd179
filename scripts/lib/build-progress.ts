import { spawn } from "node:child_process";
import { createWriteStream, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import cliProgress from "cli-progress";

// `next build` with a progress bar instead of its transcript. The estimate is the last build's
// duration on this machine (DATA_DIR/build-timing.json); a first build guesses 3 minutes and says
// so. The phases Next prints move the bar forward; the whole output goes to DATA_DIR/logs/build.log
// and is shown only when the build fails.

const FIRST_BUILD_GUESS_MS = 3 * 60_000;

// Where each phase Next announces puts the bar at least, by share of a typical build.
const PHASES: { pattern: RegExp; label: string; floor: number }[] = [
  { pattern: /Creating an optimized production build/, label: "compiling", floor: 0.02 },
  { pattern: /Compiled successfully|Compiled with warnings/, label: "checking types", floor: 0.6 },
  { pattern: /Collecting page data/, label: "collecting pages", floor: 0.8 },
  { pattern: /Generating static pages/, label: "rendering pages", floor: 0.88 },
  { pattern: /Finalizing page optimization|Collecting build traces/, label: "finishing", floor: 0.96 },
];

export type BuildOptions = { root: string; dataDir: string; nextBin: string; interactive: boolean; say: (line: string) => void };

function readLastDuration(file: string): number | null {
  try {
    const value = (JSON.parse(readFileSync(file, "utf8")) as { lastBuildMs?: unknown }).lastBuildMs;
    return typeof value === "number" && value > 0 ? value : null;
  } catch {
    return null;
  }
}

function formatSeconds(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  return s < 60 ? `${s} s` : `${Math.floor(s / 60)} min ${String(s % 60).padStart(2, "0")} s`;
}

/** Runs `next build`, showing progress; resolves with the duration, rejects with the log's tail on failure. */
export async function buildWithProgress(options: BuildOptions): Promise<number> {
  const logsDir = path.join(options.dataDir, "logs");
  mkdirSync(logsDir, { recursive: true });
  const logFile = path.join(logsDir, "build.log");
  const timingFile = path.join(options.dataDir, "build-timing.json");
  const last = readLastDuration(timingFile);
  const estimate = last ?? FIRST_BUILD_GUESS_MS;
  options.say(
    last
      ? `Building the app; the last build here took ${formatSeconds(last)} (log: ${path.relative(options.root, logFile)}).`
      : `Building the app for the first time: usually 1–5 minutes, longer on a busy machine (log: ${path.relative(options.root, logFile)}).`,
  );

  const log = createWriteStream(logFile);
  const started = Date.now();
  let phase = PHASES[0]!;
  const tail: string[] = [];
  const bar = options.interactive
    ? new cliProgress.SingleBar(
        { format: "  [{bar}] {percentage}% · {phase} · {elapsed} elapsed{left}", barsize: 28, hideCursor: true, clearOnComplete: true },
        cliProgress.Presets.shades_classic,
      )
    : null;
  const share = () => Math.min(0.99, Math.max(phase.floor, (Date.now() - started) / estimate));
  const payload = () => {
    const elapsed = Date.now() - started;
    const remaining = estimate - elapsed;
    return { phase: phase.label, elapsed: formatSeconds(elapsed), left: remaining > 5_000 ? `, about ${formatSeconds(remaining)} left` : ", almost done" };
  };
  bar?.start(100, 0, payload());
  const tick = setInterval(() => bar?.update(Math.round(share() * 100), payload()), 500);

  const child = spawn(process.execPath, [options.nextBin, "build"], {
    cwd: options.root,
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1", NODE_ENV: "production" },
  });
  const onOutput = (chunk: Buffer) => {
    log.write(chunk);
    for (const line of chunk.toString().split("\n")) {
      if (!line.trim()) continue;
      tail.push(line);
      if (tail.length > 40) tail.shift();
      const next = PHASES.find((p) => p.pattern.test(line) && p.floor > phase.floor);
      if (next) {
        phase = next;
        if (!bar) options.say(`Build: ${next.label} (${formatSeconds(Date.now() - started)} so far)`);
      }
    }
  };
  child.stdout.on("data", onOutput);
  child.stderr.on("data", onOutput);
  const code = await new Promise<number | null>((resolve) => child.on("exit", resolve));
  clearInterval(tick);
  bar?.stop();
  await new Promise((resolve) => log.end(resolve));
  const duration = Date.now() - started;
  if (code !== 0) {
    throw new Error(`next build failed (exit ${code}). The last lines of ${logFile}:\n${tail.join("\n")}`);
  }
  writeFileSync(timingFile, JSON.stringify({ lastBuildMs: duration, at: new Date().toISOString() }) + "\n");
  options.say(`Built in ${formatSeconds(duration)}.`);
  return duration;
}
