import { randomBytes } from "node:crypto";
import { afterAll } from "vitest";
import { resetConfigForTests } from "@/lib/config";

/** An old and a new encryption key for rotation tests; the file's own keys come back afterwards. */
export function rotationKeys() {
  const original = process.env.ENCRYPTION_KEYS;
  afterAll(() => useKeys(original!));
  return {
    oldKey: `old:${randomBytes(32).toString("base64")}`,
    newKey: `new:${randomBytes(32).toString("base64")}`,
    useKeys,
  };
}

function useKeys(value: string): void {
  process.env.ENCRYPTION_KEYS = value;
  resetConfigForTests();
}
