import { describe, expect, it } from "vitest";
import { PIPELINE_NAMES } from "@/pipelines/registry";
import { pipelineNameFromTool, pipelineToolName } from "./tool-names";

describe("pipeline tool names", () => {
  it("are valid MCP tool names and map back to every registered pipeline", () => {
    for (const name of PIPELINE_NAMES) {
      const tool = pipelineToolName(name);
      expect(tool).toMatch(/^[A-Za-z0-9_-]{1,128}$/);
      expect(pipelineNameFromTool(tool)).toBe(name);
    }
    expect(pipelineToolName("notes.capture")).toBe("pipeline__notes_capture");
    expect(pipelineToolName("gmail.apply-labels")).toBe("pipeline__gmail_apply-labels");
  });

  it("refuse names that are not pipeline tools", () => {
    expect(pipelineNameFromTool("jobs_claim")).toBeNull();
    expect(pipelineNameFromTool("pipeline__")).toBeNull();
    expect(pipelineNameFromTool("pipeline__echo")).toBeNull();
    expect(pipelineNameFromTool("pipeline__System_Echo")).toBeNull();
  });
});
