import { startAuthChangeListener } from "@/lib/auth/auth-changes";
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
  // Sessions and agent tokens are kept checked only while this listens (lib/auth/auth-changes.ts).
  await startAuthChangeListener();
  await startInstanceHeartbeat(async () => {
    await failInterruptedRuns();
  });
  await forgetDeadLocalInstances();
  await failInterruptedRuns();
}
