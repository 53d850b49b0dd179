import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { ensureHubRoot } from "./layout";
import { SEED_FILES } from "./seed-content";

// Writes the demo hub. Existing files are the owner's: they are left alone unless `force`.

export type SeedHubResult = { created: number; skipped: number };

export async function seedContextHub(root: string, options: { force?: boolean } = {}): Promise<SeedHubResult> {
  await ensureHubRoot(root);
  let created = 0;
  let skipped = 0;
  for (const [relative, content] of Object.entries(SEED_FILES)) {
    const target = path.join(root, ...relative.split("/"));
    await mkdir(path.dirname(target), { recursive: true });
    try {
      await writeFile(target, content, { flag: options.force ? "w" : "wx" });
      created += 1;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      skipped += 1;
    }
  }
  return { created, skipped };
}
