import { chmodSync, writeFileSync } from "node:fs";
import path from "node:path";

// The first owner password: shown once, last, in a box (so it does not scroll away with the logs),
// and written once to a file only the owner of the checkout can read. Never into the log stream.

export const OWNER_PASSWORD_FILE = "owner-password.txt";

/** Writes the credentials to DATA_DIR/owner-password.txt (mode 0600) and returns its path. */
export function saveOwnerPassword(dataDir: string, email: string, password: string): string {
  const file = path.join(dataDir, OWNER_PASSWORD_FILE);
  writeFileSync(
    file,
    `# The first owner account of Personal Automations. Change the password in Settings, then delete this file.\n${email}\n${password}\n`,
    { mode: 0o600 },
  );
  // mode applies only to a new file: a stale one from an earlier database is narrowed too.
  chmodSync(file, 0o600);
  return file;
}

/** Lines framed in a box drawn with box characters, padded to the longest line. */
export function boxed(lines: string[]): string {
  const width = Math.max(...lines.map((line) => line.length));
  const top = `┌${"─".repeat(width + 2)}┐`;
  const bottom = `└${"─".repeat(width + 2)}┘`;
  return [top, ...lines.map((line) => `│ ${line.padEnd(width)} │`), bottom].join("\n");
}
