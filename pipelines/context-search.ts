import { z } from "zod";
import { getConfig } from "@/lib/config";
import { ensureHubRoot } from "@/lib/context-hub/layout";
import { searchContext } from "@/lib/context-hub/search-context";
import { definePipeline } from "@/lib/pipelines/define";

// Finds lines in the context hub that contain a phrase, so an agent can jump to the right file
// instead of reading folders whole.

export const contextSearch = definePipeline({
  name: "context.search",
  title: "Search the context hub",
  description:
    "Finds lines containing the query (plain text, not a pattern; case-insensitive unless caseSensitive) in the context hub's " +
    "text files, under path (a folder or one file). Returns matches ordered by path then line, with a snippet of each line. " +
    "archive/ is skipped unless includeArchive is set or path is inside it; files over 1 MB are skipped. " +
    "truncated is true when there were more matches than limit.",
  input: z.object({
    query: z.string().min(1).max(200).describe("The text to find, taken literally"),
    path: z.string().max(1000).default("").describe('Hub-relative folder or file to search in; "" is the whole hub'),
    limit: z.number().int().min(1).max(200).default(20),
    caseSensitive: z.boolean().default(false),
    includeArchive: z.boolean().default(false),
  }),
  output: z.object({
    matches: z.array(z.object({ path: z.string(), line: z.number().int().min(1), snippet: z.string() })),
    filesScanned: z.number().int(),
    truncated: z.boolean(),
  }),
  areas: ["*"],
  sideEffects: "none",
  timeoutMs: 30_000,
  async run(request, ctx) {
    const root = getConfig().contextHubDir;
    await ensureHubRoot(root);
    return searchContext(root, request, ctx.signal);
  },
});
