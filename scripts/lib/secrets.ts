import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";

/**
 * A secret that the installation needs but the user did not set: generated once and kept under
 * DATA_DIR (mode 600), so sessions survive restarts without anything hard-coded.
 */
export function persistentSecret(dataDir: string, name: string, encoding: "base64url" | "base64" = "base64url"): string {
  const file = path.join(dataDir, name);
  if (existsSync(file)) return readFileSync(file, "utf8").trim();
  mkdirSync(dataDir, { recursive: true });
  const secret = randomBytes(32).toString(encoding);
  writeFileSync(file, secret + "\n", { mode: 0o600 });
  return secret;
}
