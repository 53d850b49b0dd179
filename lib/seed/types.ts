import type { Tx } from "@/lib/db/transaction";

// The contract every domain's demo-data seeder follows, so a new feature adds one file and one
// line in seed-demo-data.ts, and the CLI prints its summary without knowing about it.

export type SeedContext = {
  tx: Tx;
  /** One clock for the whole run, so every seeder's "3 hours ago" agrees. */
  now: Date;
};

export type SeedResult = {
  /** Heading for this domain in the printed summary, e.g. "Users". */
  title: string;
  /** What was written, by kind, e.g. `{ users: 2 }`. */
  counts: Record<string, number>;
  /** One readable line per notable thing, for the summary. */
  lines: string[];
  /** Sign-in details to show once; never stored in clear. */
  credentials?: { email: string; password: string }[];
};

export type Seeder = {
  name: string;
  /** True when this domain's demo data is already present; seeding then refuses without force. */
  exists(tx: Tx): Promise<boolean>;
  /** Writes the demo data, replacing this domain's earlier demo data when there is some. */
  seed(context: SeedContext): Promise<SeedResult>;
};
