import { z } from "zod";
import { getConfig } from "@/lib/config";
import { ensureHubRoot } from "@/lib/context-hub/layout";
import { readContext } from "@/lib/context-hub/read-context";
import { definePipeline } from "@/lib/pipelines/define";

// Tiered reading of the context hub. Agents start with "abstracts" (the whole hub in a few hundred
// tokens), open one folder's "overview", and read "full" files only when the task needs them.

// A flat object rather than a union on tier: tool-calling models handle it better, and the tier defaults.
const input = z.object({
  path: z.string().max(1000).default("").describe('Hub-relative folder or file, e.g. "areas/clients"; "" is the hub root'),
  tier: z.enum(["abstracts", "overview", "full"]).default("abstracts").describe("abstracts, then overview, then full"),
  depth: z.number().int().min(1).max(4).default(2).describe("abstracts only: how many folder levels below path to list"),
  includeArchive: z.boolean().default(false).describe("List archive/ too (it is skipped unless asked)"),
});

const frontMatter = z.record(z.string(), z.unknown()).nullable();

const output = z.discriminatedUnion("tier", [
  z.object({
    tier: z.literal("abstracts"),
    path: z.string(),
    abstract: z.string().nullable(),
    files: z.number().int().describe("Markdown files directly in the folder (abstract.md and overview.md not counted)"),
    folders: z.array(
      z.object({ path: z.string(), abstract: z.string().nullable(), files: z.number().int(), subfolders: z.number().int() }),
    ),
    truncated: z.boolean(),
  }),
  z.discriminatedUnion("kind", [
    z.object({
      tier: z.literal("overview"),
      kind: z.literal("folder"),
      path: z.string(),
      abstract: z.string().nullable(),
      overview: z.string().nullable(),
      overviewTruncated: z.boolean(),
      folders: z.array(z.object({ path: z.string(), abstract: z.string().nullable(), files: z.number().int() })),
      files: z.array(z.object({ path: z.string(), bytes: z.number().int(), modifiedAt: z.iso.datetime() })),
      omitted: z.number().int(),
    }),
    z.object({
      tier: z.literal("overview"),
      kind: z.literal("file"),
      path: z.string(),
      bytes: z.number().int(),
      modifiedAt: z.iso.datetime(),
      frontMatter,
      head: z.string(),
      headTruncated: z.boolean(),
    }),
  ]),
  z.object({
    tier: z.literal("full"),
    path: z.string(),
    bytes: z.number().int(),
    modifiedAt: z.iso.datetime(),
    frontMatter,
    content: z.string(),
    truncated: z.boolean(),
  }),
]);

export const contextRead = definePipeline({
  name: "context.read",
  title: "Read the context hub",
  description:
    'Reads the owner\'s context hub (markdown) in tiers. "abstracts" (default): the folder tree below path, down to depth, ' +
    "with each folder's one-line abstract and markdown file count; load this first. " +
    '"overview": a folder\'s overview.md, abstract and entries (files with size and modified time, subfolders with abstracts); ' +
    "for a file, its front matter and first 30 lines. " +
    '"full": one text file (.md, .markdown, .txt, .json, .yaml, .yml, .csv), front matter parsed, cut at 256 KB with truncated: true. ' +
    "archive/ is left out of listings unless includeArchive is set or path is inside it. " +
    "Paths outside the hub or hidden ones are refused (403); abstracts of a file or full of a folder are a 400.",
  input,
  output,
  areas: ["*"],
  sideEffects: "none",
  timeoutMs: 10_000,
  async run({ path, tier, depth, includeArchive }) {
    const root = getConfig().contextHubDir;
    await ensureHubRoot(root);
    if (tier === "abstracts") return readContext(root, { tier, path, depth, includeArchive });
    if (tier === "overview") return readContext(root, { tier, path, includeArchive });
    return readContext(root, { tier, path });
  },
});
