import { z } from "zod";
import { getConfig } from "@/lib/config";
import { refreshFolderIndex, writeJobNote } from "@/lib/context-hub/write-job-note";
import { artifactSchema, resultHandlerInput } from "@/lib/jobs/result-schemas";
import { finishDate, loadJobResult } from "@/lib/jobs/load-result";
import { definePipeline } from "@/lib/pipelines/define";
import { contentDraft } from "@/job-kinds/content-draft";

// content.draft's result handler: the draft becomes a file in the content area's drafts/ folder
// for the owner to edit, with the agent's notes; once per job.

export const CONTENT_DRAFTS_FOLDER = "areas/content/drafts";

export const contentSaveDraft = definePipeline({
  name: "content.save-draft",
  title: "Save a content draft to the hub",
  description:
    `Writes a succeeded content.draft job's result to ${CONTENT_DRAFTS_FOLDER}/<date>-<slug>.md in the context hub and ` +
    "rebuilds the folder's abstract.md and overview.md. Runs when such a job succeeds; running it again writes nothing.",
  input: resultHandlerInput,
  output: z.object({ path: z.string(), created: z.boolean(), artifact: artifactSchema }),
  areas: [],
  sideEffects: "internal",
  timeoutMs: 15_000,
  async run({ jobId }, ctx) {
    const { job, input, result } = await loadJobResult(contentDraft, jobId);
    const notes = result.notes.trim();
    const root = getConfig().contextHubDir;
    const written = await writeJobNote(root, {
      folder: CONTENT_DRAFTS_FOLDER,
      jobId,
      title: result.title,
      date: finishDate(job),
      frontMatter: { created: job.finishedAt?.toISOString(), format: input.format, status: "draft", agent: job.claimedByAgent, run_id: ctx.runId },
      body: `${result.body.trim()}${notes ? `\n\n## Notes from the agent\n\n${notes}` : ""}`,
    });
    await refreshFolderIndex(root, {
      folder: CONTENT_DRAFTS_FOLDER,
      subject: "First drafts agents wrote for the owner to edit",
      heading: "Content drafts",
      describe: (fm, name) => `${String(fm.title ?? name)} (${String(fm.format ?? "draft")})`,
    });
    return { path: written.path, created: written.created, artifact: { type: "content-draft" as const, label: written.path, path: written.path } };
  },
});
