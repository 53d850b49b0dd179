import { z } from "zod";
import { registry, PIPELINE_NAMES } from "@/pipelines/registry";
import { AppError } from "@/lib/errors";
import type { AnyPipeline, SideEffects } from "@/lib/pipelines/define";

// The registry as the rest of the system sees it: lookup by name, and descriptions with JSON
// Schemas generated from the same zod schemas that validate runs. Nothing here reads the registry
// at load time: result pipelines import modules that import this one, so the registry may still
// be initialising while this module loads.

export function isPipelineName(name: string): name is keyof typeof registry {
  return Object.hasOwn(registry, name);
}

export function findPipeline(name: string): AnyPipeline | null {
  return isPipelineName(name) ? registry[name] : null;
}

export function getPipeline(name: string): AnyPipeline {
  const pipeline = findPipeline(name);
  if (!pipeline) throw new AppError("not_found", `There is no pipeline named "${name}"`);
  return pipeline;
}

export function allPipelines(): AnyPipeline[] {
  return PIPELINE_NAMES.map((name) => registry[name]);
}

export type JsonSchema = Record<string, unknown>;

export type PipelineDescription = {
  name: string;
  title: string;
  description: string;
  areas: readonly string[];
  sideEffects: SideEffects;
  timeoutMs: number;
  inputSchema: JsonSchema;
  outputSchema: JsonSchema;
};

export function toJsonSchema(schema: z.ZodType, io: "input" | "output"): JsonSchema {
  return z.toJSONSchema(schema, { target: "draft-2020-12", io, unrepresentable: "any" }) as JsonSchema;
}

const described = new Map<string, PipelineDescription>();

export function describePipeline(pipeline: AnyPipeline): PipelineDescription {
  let description = described.get(pipeline.name);
  if (!description) {
    description = {
      name: pipeline.name,
      title: pipeline.title,
      description: pipeline.description,
      areas: pipeline.areas,
      sideEffects: pipeline.sideEffects,
      timeoutMs: pipeline.timeoutMs,
      inputSchema: toJsonSchema(pipeline.input, "input"),
      outputSchema: toJsonSchema(pipeline.output, "output"),
    };
    described.set(pipeline.name, description);
  }
  return description;
}
