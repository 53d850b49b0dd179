import { withTransaction } from "@/lib/db/transaction";
import { AppError } from "@/lib/errors";
import { contextHubSeeder } from "./seed-context-hub";
import { conversationsSeeder } from "./seed-conversations";
import { pipelineRunsSeeder } from "./seed-pipeline-runs";
import { signInAttemptsSeeder } from "./seed-sign-in-attempts";
import { usersSeeder } from "./seed-users";
import type { SeedResult, Seeder } from "./types";

// Demo data for every screen that exists, so a fresh install can be explored without real traffic.
// One seeder per domain, run in this order (later ones may use what earlier ones created).
// A new feature adds its seeder file and one entry here. The context hub (files, not rows) comes
// last, so a failure in the database seeders leaves the disk untouched.
const SEEDERS: Seeder[] = [usersSeeder, signInAttemptsSeeder, pipelineRunsSeeder, conversationsSeeder, contextHubSeeder];

export type DemoDataSummary = {
  /** True when earlier demo data was found and replaced (only with force). */
  replaced: boolean;
  sections: SeedResult[];
  /** Sign-in details for the demo accounts, to show once. */
  credentials: { email: string; password: string }[];
};

/**
 * Seeds the demo data in one transaction. Refuses with a conflict when any of it already exists,
 * unless `force`, which replaces it (new demo password, fresh history).
 */
export async function seedDemoData(options: { force?: boolean } = {}): Promise<DemoDataSummary> {
  return withTransaction(
    async (tx) => {
      const present: string[] = [];
      for (const seeder of SEEDERS) if (await seeder.exists(tx)) present.push(seeder.name);
      if (present.length > 0 && !options.force) {
        throw new AppError("conflict", `Demo data already exists (${present.join(", ")})`, { present });
      }
      const now = new Date();
      const sections: SeedResult[] = [];
      for (const seeder of SEEDERS) sections.push(await seeder.seed({ tx, now }));
      return { replaced: present.length > 0, sections, credentials: sections.flatMap((s) => s.credentials ?? []) };
    },
    // Hashing the demo passwords (scrypt) happens inside; allow more than the default 15 s on slow machines.
    { timeoutMs: 60_000 },
  );
}
