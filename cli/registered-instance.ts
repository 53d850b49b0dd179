import { startInstanceHeartbeat, stopInstanceHeartbeat } from "@/lib/instances";

// A command that runs pipelines in this process (`pipelines run`, `schedules run`, `webhooks
// retry`) registers it as an app instance and heartbeats while it works, so a running app's
// recovery of runs left by dead processes does not close its runs as interrupted.

export async function whileRegistered<T>(work: () => Promise<T>): Promise<T> {
  await startInstanceHeartbeat();
  try {
    return await work();
  } finally {
    stopInstanceHeartbeat();
  }
}
