import { z } from "zod";
import { getConfig } from "@/lib/config";
import { writeHubFile } from "@/lib/context-hub/write-file";
import { definePipeline } from "@/lib/pipelines/define";

// Writes one text file of the context hub: the dashboard's editor saves through it, so every edit
// of the hub (soul.md included) is a recorded run with its actor, like any other write.

export const contextWrite = definePipeline({
  name: "context.write",
  title: "Write a context hub file",
  description:
    "Creates or replaces one text file (.md, .markdown, .txt, .json, .yaml, .yml, .csv; at most 256 KB) in the context hub. " +
    "Missing folders are created. expectedSha256 guards against overwriting someone else's edit: null only creates a new file, " +
    "a hash only replaces the file whose content still has that hash (409 otherwise); leave it out to replace whatever is there. " +
    "Paths outside the hub, through links that leave it, or hidden ones are refused (403). Returns the path, size and new hash.",
  input: z.object({
    path: z.string().trim().min(1).max(1000).describe('Hub-relative file, e.g. "knowledge/pricing.md" or "soul.md"'),
    content: z.string().max(256 * 1024).describe("The whole new content (markdown for .md files)"),
    expectedSha256: z
      .string()
      .regex(/^[0-9a-f]{64}$/, "must be a sha256 hex digest (64 lowercase hex characters)")
      .nullable()
      .optional()
      .describe("sha256 of the content you read (null: the file must not exist yet)"),
  }),
  output: z.object({
    path: z.string(),
    bytes: z.number().int(),
    sha256: z.string(),
    created: z.boolean(),
    previousSha256: z.string().nullable(),
  }),
  // Writing the hub changes what every assistant reads first (soul.md): no assistant gets it by default.
  areas: [],
  sideEffects: "internal",
  timeoutMs: 10_000,
  async run(request) {
    return writeHubFile(getConfig().contextHubDir, request);
  },
});
