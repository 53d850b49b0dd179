import { getConfig } from "@/lib/config";

// Named points between two writes where the crash test (tests/crash) makes a process die, so each
// window of "the process stopped after this commit and before that one" is hit on purpose, not
// only by luck. PA_CRASH_AT is unset outside that test: a crash point is then a comparison.

type Plan = { point: string; at: number; seen: number } | null;
let plan: Plan | undefined;

function currentPlan(): Plan {
  if (plan === undefined) {
    const value = getConfig().PA_CRASH_AT;
    if (!value) plan = null;
    else {
      const [point, at] = value.split("@");
      plan = { point: point!, at: at ? Number(at) : 1, seen: 0 };
    }
  }
  return plan;
}

/** Kills this process with SIGKILL when PA_CRASH_AT names this point (at its nth passage). */
export function crashPoint(name: string): void {
  const p = currentPlan();
  if (!p || p.point !== name) return;
  p.seen += 1;
  if (p.seen !== p.at) return;
  process.stderr.write(`crash-point ${name}@${p.at}: SIGKILL\n`);
  process.kill(process.pid, "SIGKILL");
}
