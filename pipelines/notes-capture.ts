import { z } from "zod";
import { getConfig } from "@/lib/config";
import { captureNote } from "@/lib/context-hub/capture-note";
import { definePipeline } from "@/lib/pipelines/define";

// Drops a note into the context hub's inbox/, to be filed later (by the owner or the weekly review).

export const notesCapture = definePipeline({
  name: "notes.capture",
  title: "Capture a note",
  description:
    "Writes a markdown note to inbox/<YYYY-MM-DD>-<slug>.md in the context hub (UTC date; -2, -3 … when the name is taken), " +
    "with YAML front matter (title, created, tags, source, captured_by, run_id, work_key), a '# title' heading and the body. " +
    "Never overwrites a file; a retry of the same work (a redelivered webhook, a schedule slot run again) returns the note already written. Returns the note's hub-relative path.",
  input: z.object({
    title: z.string().trim().min(1).max(200).regex(/^[^\r\n]*$/, "must be a single line"),
    body: z.string().max(50_000).default("").describe("Markdown"),
    tags: z
      .array(z.string().regex(/^[a-z0-9][a-z0-9-]{0,40}$/, "lowercase letters, digits and hyphens, starting with a letter or digit"))
      .max(20)
      .default([]),
    source: z.string().trim().max(200).optional().describe("Where the note came from, e.g. a URL or \"voice memo\""),
  }),
  output: z.object({
    path: z.string(),
    bytes: z.number().int(),
    createdAt: z.iso.datetime(),
  }),
  areas: ["*"],
  sideEffects: "internal",
  timeoutMs: 10_000,
  async run(request, ctx) {
    const tags = [...new Set(request.tags)];
    // A retried attempt at the same work (ctx.workKey) finds its note instead of writing another.
    return captureNote(getConfig().contextHubDir, { ...request, tags }, { capturedBy: ctx.actor.label, runId: ctx.runId, workKey: ctx.workKey });
  },
});
