import { afterAll, beforeAll } from "vitest";
import { resetConfigForTests } from "@/lib/config";

// Tests that need other settings change the environment the config module reads, through these
// helpers only: they re-read the config, and put every variable back as it was afterwards.

export type EnvChanges = Record<string, string | undefined>;

function apply(changes: EnvChanges): EnvChanges {
  const previous: EnvChanges = {};
  for (const [name, value] of Object.entries(changes)) {
    previous[name] = process.env[name];
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
  resetConfigForTests();
  return previous;
}

/** Runs `fn` with the variables set (undefined = unset), then restores them. */
export async function withEnv<T>(changes: EnvChanges, fn: () => Promise<T>): Promise<T> {
  const previous = apply(changes);
  try {
    return await fn();
  } finally {
    apply(previous);
  }
}

/** For a whole file: sets the variables before its tests (values may be computed then) and restores them after. */
export function envForFile(changes: EnvChanges | (() => EnvChanges | Promise<EnvChanges>)): void {
  let previous: EnvChanges = {};
  beforeAll(async () => {
    previous = apply(typeof changes === "function" ? await changes() : changes);
  });
  afterAll(() => void apply(previous));
}

/** Sets the variables now, for the rest of the file, and returns how to put them back. */
export function setEnv(changes: EnvChanges): () => void {
  const previous = apply(changes);
  return () => void apply(previous);
}
