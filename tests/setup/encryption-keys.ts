import { randomBytes } from "node:crypto";
import { afterAll } from "vitest";
import { setEnv } from "./config-env";

/** An old and a new encryption key for rotation tests; the file's own keys come back afterwards. */
export function rotationKeys() {
  const restores: (() => void)[] = [];
  afterAll(() => restores.reverse().forEach((restore) => restore()));
  return {
    oldKey: `old:${randomBytes(32).toString("base64")}`,
    newKey: `new:${randomBytes(32).toString("base64")}`,
    useKeys: (value: string) => void restores.push(setEnv({ ENCRYPTION_KEYS: value })),
  };
}
