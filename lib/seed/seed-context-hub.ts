import { readFile } from "node:fs/promises";
import path from "node:path";
import { getConfig } from "@/lib/config";
import { SOUL_FILE } from "@/lib/context-hub/layout";
import { SEED_FILES } from "@/lib/context-hub/seed-content";
import { seedContextHub } from "@/lib/context-hub/seed-hub";
import type { SeedResult, Seeder } from "./types";

// The demo context hub (markdown on disk, not in the database) that the context.* and notes.*
// pipelines read and write. The hub may be the owner's real one: a hub whose soul.md is not the
// demo persona's is left alone entirely, even with force, so seeding never overwrites or mixes
// demo files into someone's notes. Only a demo hub is replaced, and only its demo files.

type HubState = "empty" | "demo" | "owner";

const firstLine = (text: string) => text.split("\n", 1)[0]!.trim();
const DEMO_SOUL_HEADING = firstLine(SEED_FILES[SOUL_FILE] ?? "");

async function hubState(root: string): Promise<HubState> {
  let soul: string;
  try {
    soul = await readFile(path.join(root, SOUL_FILE), "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return "empty";
    throw error;
  }
  // The heading names the demo persona; the rest may have been edited while trying the app.
  return firstLine(soul) === DEMO_SOUL_HEADING ? "demo" : "owner";
}

export const contextHubSeeder: Seeder = {
  name: "context hub",

  async exists() {
    return (await hubState(getConfig().contextHubDir)) === "demo";
  },

  async seed(): Promise<SeedResult> {
    const root = getConfig().contextHubDir;
    const state = await hubState(root);
    if (state === "owner") {
      return {
        title: "Context hub",
        counts: { files: 0, skipped: 0 },
        lines: [`left ${root} alone: its ${SOUL_FILE} is not the demo one, so it holds someone's own notes`],
      };
    }
    // Reaching seed() with a demo hub present means the caller asked to replace the demo data.
    const { created, skipped } = await seedContextHub(root, { force: state === "demo" });
    return {
      title: "Context hub",
      counts: { files: created, skipped },
      lines: [
        `${created} demo files ${state === "demo" ? "rewritten" : "written"} in ${root}`,
        ...(skipped > 0 ? [`${skipped} files already there were left as they were`] : []),
      ],
    };
  },
};
