// MCP tool names may only use letters, digits, "_" and "-", so a pipeline named `notes.capture`
// is offered as `pipeline__notes_capture`. Pipeline names never contain "_" (lib/pipelines/define.ts
// allows lowercase letters, digits, "-" and "."), which makes the mapping reversible.

export const PIPELINE_TOOL_PREFIX = "pipeline__";

export function pipelineToolName(pipelineName: string): string {
  return PIPELINE_TOOL_PREFIX + pipelineName.replaceAll(".", "_");
}

/** The pipeline name a tool name stands for, or null when it is not a pipeline tool name. */
export function pipelineNameFromTool(toolName: string): string | null {
  if (!toolName.startsWith(PIPELINE_TOOL_PREFIX)) return null;
  const rest = toolName.slice(PIPELINE_TOOL_PREFIX.length);
  if (!/^[a-z0-9-]+(_[a-z0-9-]+)+$/.test(rest)) return null;
  return rest.replaceAll("_", ".");
}
