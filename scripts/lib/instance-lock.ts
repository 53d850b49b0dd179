import { readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";

// One `npm start` per data folder: a second one in the same checkout would fight the first over the
// embedded database. The first writes DATA_DIR/instance.json; a second reads it and says so plainly.

export type InstanceInfo = { pid: number; url: string; startedAt: string };

/** Whether a process lives. EPERM: alive, owned by another user (the embedded cluster runs as "postgres" under root). */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** The instance already running from this data folder, if any (a lock left by a crash is ignored). */
export function runningInstance(dataDir: string): InstanceInfo | null {
  try {
    const info = JSON.parse(readFileSync(path.join(dataDir, "instance.json"), "utf8")) as InstanceInfo;
    return Number.isInteger(info.pid) && info.pid !== process.pid && isAlive(info.pid) ? info : null;
  } catch {
    return null;
  }
}

/** Claims the data folder for this process; the returned function releases it. */
export function claimInstance(dataDir: string, url: string): () => void {
  const file = path.join(dataDir, "instance.json");
  writeFileSync(file, JSON.stringify({ pid: process.pid, url, startedAt: new Date().toISOString() }) + "\n");
  return () => rmSync(file, { force: true });
}
