import { getConfig } from "@/lib/config";
import { forgetDeadLocalInstances, startInstanceHeartbeat } from "@/lib/instances";
import { getLogger } from "@/lib/logger";
import { failInterruptedRuns } from "@/lib/pipelines/recover-runs";

// What a server process does once when it starts, after the configuration has been validated.

export async function startBackgroundServices(): Promise<void> {
  const log = getLogger({ component: "startup" });
  if (!getConfig().DATABASE_URL) {
    log.warn("DATABASE_URL is not set: background services are off (start the app with `npm start`)");
    return;
  }
  await startInstanceHeartbeat(async () => {
    await failInterruptedRuns();
  });
  await forgetDeadLocalInstances();
  await failInterruptedRuns();
}
