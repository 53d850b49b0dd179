import { jsonSchema, tool, type ToolSet } from "ai";
import { AppError, isAppError } from "@/lib/errors";
import { describePipeline, getPipeline } from "@/lib/pipelines/catalog";
import type { Actor, AnyPipeline } from "@/lib/pipelines/define";
import type { RunError } from "@/lib/pipelines/runner";
import { startRun } from "@/lib/pipelines/runner";
import { areaAllows, areaPipelines, type AreaRow } from "./areas";

// An area's pipelines as the model's tools. The tool's input schema is the pipeline's input JSON
// Schema; calling it starts a run through the runner (trigger chat, actor the user, linked to the
// conversation), so a tool call is on the record like any other run. Pipelines that change the
// outside world need the owner's approval in the chat before they run.

/** OpenAI tool names allow letters, digits, "_" and "-": "notes.capture" becomes "notes_capture". */
export function toolNameOf(pipelineName: string): string {
  return pipelineName.replaceAll(".", "_");
}

export type ToolContext = {
  area: AreaRow;
  actor: Extract<Actor, { type: "user" }>;
  conversationId: string;
  requestId: string | null;
};

export type ToolResult = { runId: string; output: unknown };

/** Thrown into the AI SDK when a run fails; the message is what the model and the UI see. */
export class ToolRunError extends Error {
  constructor(message: string, readonly runId: string | null) {
    super(runId ? `${message} (run ${runId})` : message);
    this.name = "ToolRunError";
  }
}

function describeFailure(error: RunError | null): string {
  if (!error) return "The pipeline failed";
  const issues = (error.details as { issues?: { path: string; message: string }[] } | undefined)?.issues;
  const detail = issues?.length ? `: ${issues.map((i) => `${i.path || "input"} ${i.message}`).join("; ")}` : "";
  return `${error.message}${detail}`;
}

async function runAsTool(pipeline: AnyPipeline, input: unknown, ctx: ToolContext, toolCallId: string, signal?: AbortSignal): Promise<ToolResult> {
  // The area may have changed since the turn began; what it allows now is what counts.
  if (!areaAllows(ctx.area, pipeline.name)) throw new ToolRunError(`${pipeline.name} is not available in this area`, null);
  let started;
  try {
    started = await startRun(pipeline, input, {
      trigger: "chat",
      actor: ctx.actor,
      requestId: ctx.requestId,
      conversationId: ctx.conversationId,
      // A retried request must not run the same tool call twice.
      idempotencyKey: `chat:${ctx.conversationId}:${toolCallId}`,
      workKey: `chat:${ctx.conversationId}:${toolCallId}`,
      signal,
      resolve: getPipeline,
    });
  } catch (error) {
    if (isAppError(error)) throw new ToolRunError(describeFailure(error.toJSON()), null);
    throw error;
  }
  const done = await started.completion;
  if (done.status !== "succeeded") throw new ToolRunError(describeFailure(done.error as RunError | null), done.id);
  return { runId: done.id, output: done.output };
}

export function buildTools(ctx: ToolContext): ToolSet {
  const tools: ToolSet = {};
  for (const pipeline of areaPipelines(ctx.area)) {
    const name = toolNameOf(pipeline.name);
    if (tools[name]) throw new AppError("internal", `Two pipelines map to the tool name ${name}`);
    // The pipeline's input schema as is, minus the dialect marker some servers reject.
    const { $schema: _dialect, ...inputSchema } = describePipeline(pipeline).inputSchema;
    tools[name] = tool({
      title: pipeline.title,
      description: `${pipeline.title}. ${pipeline.description}`,
      inputSchema: jsonSchema<Record<string, unknown>>(inputSchema),
      needsApproval: pipeline.sideEffects === "external",
      execute: (input, options) => runAsTool(pipeline, input, ctx, options.toolCallId, options.abortSignal),
    });
  }
  return tools;
}

/** The pipeline behind a tool name, for the UI (null when the name is not one of ours). */
export function pipelineForTool(area: Pick<AreaRow, "pipelines">, toolName: string): AnyPipeline | null {
  return areaPipelines(area).find((p) => toolNameOf(p.name) === toolName) ?? null;
}
