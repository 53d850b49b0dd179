import { open, readdir, readFile, stat } from "node:fs/promises";
import path from "node:path";
import { AppError } from "@/lib/errors";
import { looksLikeMbox, readMbox } from "./mbox";

// Where offline triage reads mail from: single .eml files, folders of them (searched recursively),
// and mbox files. A file that opens with an mbox postmark line (`From …`) is read as an mbox,
// whatever its name, so exports with a leading envelope line work too.

export type MailFile = { path: string; kind: "eml" | "mbox"; size: number };

/** One message and where it came from: the file, and `#n` (1-based) for the nth message of an mbox. */
export type MailItem = { source: string; raw: Buffer; bytes: number };

const MAIL_FILE = /\.(?:eml|mbox|mbx)$/i;

/** The files behind the given paths, in order; folders contribute their .eml/.mbox files sorted by path. */
export async function listMailFiles(paths: readonly string[]): Promise<MailFile[]> {
  const files: MailFile[] = [];
  for (const given of paths) {
    const info = await stat(given).catch((error: NodeJS.ErrnoException) => {
      throw new AppError("bad_request", `Cannot read ${given}: ${error.code === "ENOENT" ? "no such file or folder" : error.message}`);
    });
    if (info.isDirectory()) {
      for (const file of await walk(given)) files.push(await describe(file));
    } else {
      files.push(await describe(given, info.size));
    }
  }
  return files;
}

async function walk(folder: string): Promise<string[]> {
  const found: string[] = [];
  const entries = await readdir(folder, { withFileTypes: true });
  for (const entry of entries) {
    if (entry.name.startsWith(".")) continue;
    const full = path.join(folder, entry.name);
    if (entry.isDirectory()) found.push(...(await walk(full)));
    else if (entry.isFile() && MAIL_FILE.test(entry.name)) found.push(full);
  }
  return found.sort();
}

async function describe(file: string, size?: number): Promise<MailFile> {
  const handle = await open(file, "r");
  try {
    const head = Buffer.alloc(5);
    const { bytesRead } = await handle.read(head, 0, 5, 0);
    return {
      path: file,
      kind: looksLikeMbox(head.subarray(0, bytesRead)) ? "mbox" : "eml",
      size: size ?? (await handle.stat()).size,
    };
  } finally {
    await handle.close();
  }
}

/** Every message in the files, one at a time. */
export async function* readMailFiles(files: readonly MailFile[]): AsyncGenerator<MailItem> {
  for (const file of files) {
    if (file.kind === "eml") {
      const raw = await readFile(file.path);
      yield { source: file.path, raw, bytes: raw.length };
      continue;
    }
    let index = 0;
    for await (const message of readMbox(file.path)) {
      index++;
      yield { source: `${file.path}#${index}`, raw: message.raw, bytes: message.bytes };
    }
  }
}
