import { z } from "zod";
import { getConfig } from "@/lib/config";
import { refreshFolderIndex, writeJobNote } from "@/lib/context-hub/write-job-note";
import { artifactSchema, resultHandlerInput } from "@/lib/jobs/result-schemas";
import { finishDate, loadJobResult } from "@/lib/jobs/load-result";
import { definePipeline } from "@/lib/pipelines/define";
import { researchBrief } from "@/job-kinds/research-brief";

// research.brief's result handler: the brief becomes a note in knowledge/research/ with its
// sources, and the folder's abstract and overview are rebuilt. Once per job (see write-job-note.ts).

export const RESEARCH_FOLDER = "knowledge/research";

export const researchSaveBrief = definePipeline({
  name: "research.save-brief",
  title: "Save a research brief to the hub",
  description:
    `Writes a succeeded research.brief job's result to ${RESEARCH_FOLDER}/<date>-<slug>.md in the context hub (summary, ` +
    "findings with their sources, confidence) and rebuilds the folder's abstract.md and overview.md. Runs when such a job " +
    "succeeds; running it again for the same job writes nothing.",
  input: resultHandlerInput,
  output: z.object({ path: z.string(), created: z.boolean(), artifact: artifactSchema }),
  areas: [],
  sideEffects: "internal",
  timeoutMs: 15_000,
  async run({ jobId }, ctx) {
    const { job, input, result } = await loadJobResult(researchBrief, jobId);
    const sources = [...new Set(result.findings.map((f) => f.source))];
    const body = [
      result.summary.trim(),
      "",
      "## Questions",
      "",
      ...input.questions.map((q, i) => `${i + 1}. ${q}`),
      "",
      "## Findings",
      "",
      ...result.findings.map((f) => `- ${f.claim.replaceAll(/\s*\n\s*/g, " ")} ([source](${f.source}))`),
      "",
      "## Sources",
      "",
      ...sources.map((url) => `- <${url}>`),
    ].join("\n");
    const root = getConfig().contextHubDir;
    const written = await writeJobNote(root, {
      folder: RESEARCH_FOLDER,
      jobId,
      title: input.topic,
      date: finishDate(job),
      frontMatter: { created: job.finishedAt?.toISOString(), confidence: result.confidence, sources, agent: job.claimedByAgent, run_id: ctx.runId },
      body,
    });
    await refreshFolderIndex(root, {
      folder: RESEARCH_FOLDER,
      subject: "Research briefs written by agents, with their sources",
      heading: "Research",
      describe: (fm, name) => `${String(fm.title ?? name)} (confidence ${String(fm.confidence ?? "unknown")}, ${Array.isArray(fm.sources) ? fm.sources.length : 0} sources)`,
    });
    return { path: written.path, created: written.created, artifact: { type: "hub-note" as const, label: written.path, path: written.path } };
  },
});
