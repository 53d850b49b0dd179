import type { ReadResourceResult, Resource, ResourceTemplate } from "@modelcontextprotocol/sdk/types.js";
import type { Logger } from "pino";
import { assertPipelineInScope, denyUnknown } from "@/lib/agents/scope";
import type { AgentPrincipal } from "@/lib/agents/principal";
import { AppError } from "@/lib/errors";
import { toRunDto } from "@/lib/pipelines/run-dto";
import { runPipeline } from "@/lib/pipelines/run-pipeline";

// The context hub's tiers as MCP resources, so an agent can walk the hub (abstracts → a folder's
// overview → one file) by reading URIs instead of spending a tool call per step. They are scoped
// like pipelines: only an agent that may run `context.read` sees them, and every read is a
// `context.read` run with the agent as actor, refused and recorded like any out-of-scope call.

export const CONTEXT_PIPELINE = "context.read";
const SCHEME = "context://hub";

type Tier = "abstracts" | "overview" | "full";
const TIER_SEGMENT: Record<Tier, string> = { abstracts: "abstracts", overview: "overview", full: "files" };
const SEGMENT_TIER = new Map(Object.entries(TIER_SEGMENT).map(([tier, segment]) => [segment, tier as Tier]));

export function hasContextResources(principal: AgentPrincipal): boolean {
  return principal.pipelines.includes(CONTEXT_PIPELINE);
}

/** `context://hub/<abstracts|overview|files>/<hub-relative path>`; each path segment is URI-encoded. */
export function contextResourceUri(tier: Tier, hubPath: string): string {
  const encoded = hubPath.split("/").filter(Boolean).map(encodeURIComponent).join("/");
  return `${SCHEME}/${TIER_SEGMENT[tier]}${encoded ? `/${encoded}` : ""}`;
}

/** The tier and hub path a URI stands for, or null when it is not one of ours. */
export function parseContextResourceUri(uri: string): { tier: Tier; path: string } | null {
  if (!uri.startsWith(`${SCHEME}/`)) return null;
  const [segment, ...rest] = uri.slice(SCHEME.length + 1).split("/");
  const tier = SEGMENT_TIER.get(segment ?? "");
  if (!tier) return null;
  try {
    return { tier, path: rest.filter(Boolean).map(decodeURIComponent).join("/") };
  } catch {
    return null;
  }
}

export const CONTEXT_RESOURCE_TEMPLATES: ResourceTemplate[] = [
  {
    uriTemplate: `${SCHEME}/abstracts/{+path}`,
    name: "context-abstracts",
    title: "Context hub: folder tree with abstracts",
    description: "The folders below path (two levels) with each one's one-line abstract and file count. Start here.",
    mimeType: "application/json",
  },
  {
    uriTemplate: `${SCHEME}/overview/{+path}`,
    name: "context-overview",
    title: "Context hub: a folder's overview, or a file's head",
    description: "For a folder: its overview.md, abstract and entries. For a file: its front matter and first 30 lines.",
    mimeType: "application/json",
  },
  {
    uriTemplate: `${SCHEME}/files/{+path}`,
    name: "context-file",
    title: "Context hub: one file",
    description: "One text file of the hub (markdown, text, JSON, YAML, CSV), cut at 256 KB.",
    mimeType: "text/markdown",
  },
];

const FOLDER_DESCRIPTIONS: Record<string, string> = {
  identity: "mission, values, goals",
  inbox: "captures waiting to be filed",
  areas: "ongoing responsibilities",
  projects: "time-boxed builds",
  knowledge: "SOPs and reference",
};

/** The entry points: the whole hub's abstracts, and each main folder's overview. Nothing out of scope. */
export function listContextResources(principal: AgentPrincipal): Resource[] {
  if (!hasContextResources(principal)) return [];
  return [
    {
      uri: contextResourceUri("abstracts", ""),
      name: "context-hub",
      title: "Context hub: abstracts",
      description: "The whole hub as a folder tree with one-line abstracts (a few hundred tokens). Read it first.",
      mimeType: "application/json",
    },
    ...Object.entries(FOLDER_DESCRIPTIONS).map(([folder, about]) => ({
      uri: contextResourceUri("overview", folder),
      name: `context-${folder}`,
      title: `Context hub: ${folder}/`,
      description: `Overview of ${folder}/ (${about}): its overview.md and entries.`,
      mimeType: "application/json",
    })),
  ];
}

export function listContextResourceTemplates(principal: AgentPrincipal): ResourceTemplate[] {
  return hasContextResources(principal) ? CONTEXT_RESOURCE_TEMPLATES : [];
}

/** Reads one resource as a `context.read` run; refusals and failures are AppErrors for the caller. */
export async function readContextResource(principal: AgentPrincipal, uri: string, requestId: string, log: Logger): Promise<ReadResourceResult> {
  await assertPipelineInScope(principal, CONTEXT_PIPELINE, requestId);
  const target = parseContextResourceUri(uri);
  if (!target) return denyUnknown(principal, uri, "resource", requestId);
  const result = await runPipeline({
    name: CONTEXT_PIPELINE,
    input: { path: target.path, tier: target.tier },
    trigger: "agent",
    actor: { type: "agent", id: principal.agentId, label: principal.agentName, tokenId: principal.tokenId },
    requestId,
    waitMs: 11_000,
  });
  const run = toRunDto(result.run);
  log.info({ uri, runId: run.id, status: run.status }, "MCP resource read");
  if (run.status !== "succeeded") {
    const error = run.error ?? { code: "run_failed", message: `The read ${run.status}` };
    throw new AppError(error.code === "forbidden" || error.code === "not_found" || error.code === "bad_request" ? error.code : "bad_gateway", error.message);
  }
  const output = run.output as { tier: Tier; content?: string; frontMatter?: unknown };
  if (target.tier === "full") {
    return { contents: [{ uri, mimeType: "text/markdown", text: output.content ?? "", _meta: { runId: run.id, output: { ...output, content: undefined } } }] };
  }
  return { contents: [{ uri, mimeType: "application/json", text: JSON.stringify(output), _meta: { runId: run.id } }] };
}
