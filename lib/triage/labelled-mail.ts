import { readFile } from "node:fs/promises";
import path from "node:path";
import { AppError } from "@/lib/errors";
import { triageCategorySchema, type TriageCategory } from "./categories";
import { listMailFiles, readMailFiles } from "./sources";

// Labelled mail for measuring and training triage: messages on disk (.eml files, folders, mbox
// files) and a CSV of labels, `file,category[,…]` with a header row. A label names a message by
// its file name (`x.eml`), its path relative to the folder, or `name.mbox#n` for the nth message
// of an mbox, the same `source` that `pa triage classify` prints.

export type LabelledMessage = { source: string; category: TriageCategory; raw: Buffer };

/** One CSV line → its fields (RFC 4180 quoting: "a, ""b""" is one field). */
export function splitCsvLine(line: string): string[] {
  const fields: string[] = [];
  let field = "";
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (quoted) {
      if (c === '"' && line[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ",") {
      fields.push(field);
      field = "";
    } else field += c;
  }
  fields.push(field);
  return fields;
}

/** The labels file → file name → category. The header row must name `file` and `category` columns. */
export function parseLabels(text: string, name = "labels"): Map<string, TriageCategory> {
  const lines = text.split(/\r?\n/).filter((line) => line.trim() !== "");
  const header = splitCsvLine(lines[0] ?? "").map((h) => h.trim().toLowerCase());
  const fileColumn = header.indexOf("file");
  const categoryColumn = header.indexOf("category");
  if (fileColumn === -1 || categoryColumn === -1) throw new AppError("bad_request", `${name}: the first row must name the columns, with "file" and "category" among them`);
  const labels = new Map<string, TriageCategory>();
  lines.slice(1).forEach((line, index) => {
    const fields = splitCsvLine(line);
    const file = fields[fileColumn]?.trim();
    const category = triageCategorySchema.safeParse(fields[categoryColumn]?.trim());
    if (!file || !category.success) throw new AppError("bad_request", `${name} line ${index + 2}: needs a file and one of the five categories, got "${line.slice(0, 80)}"`);
    labels.set(file, category.data);
  });
  return labels;
}

/** Every labelled message under `paths`, in file order; throws when a label names no message. */
export async function readLabelledMail(paths: readonly string[], labelsFile: string): Promise<LabelledMessage[]> {
  const text = await readFile(labelsFile, "utf8").catch((error: NodeJS.ErrnoException) => {
    throw new AppError("bad_request", `Cannot read --labels ${labelsFile}: ${error.code === "ENOENT" ? "no such file" : error.message}`);
  });
  const labels = parseLabels(text, `--labels ${labelsFile}`);
  const roots = paths.map((p) => path.resolve(p));
  const found: LabelledMessage[] = [];
  const seen = new Set<string>();
  for await (const item of readMailFiles(await listMailFiles(paths))) {
    const absolute = path.resolve(item.source);
    const names = [path.basename(item.source), ...roots.map((root) => path.relative(root, absolute)), item.source];
    const key = names.find((n) => labels.has(n));
    if (key === undefined) continue;
    seen.add(key);
    found.push({ source: item.source, category: labels.get(key)!, raw: item.raw });
  }
  const missing = [...labels.keys()].filter((k) => !seen.has(k));
  if (missing.length > 0) throw new AppError("bad_request", `${missing.length} labelled message(s) not found under the given paths, e.g. ${missing.slice(0, 3).join(", ")}`);
  return found;
}

/** The development set shipped with the repository (tests/fixtures/triage-devset). */
export const DEVSET_DIRECTORY = path.join(process.cwd(), "tests/fixtures/triage-devset");
export const readDevset = () => readLabelledMail([path.join(DEVSET_DIRECTORY, "eml")], path.join(DEVSET_DIRECTORY, "labels.csv"));
