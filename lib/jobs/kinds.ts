import { z } from "zod";
import { AppError } from "@/lib/errors";
import type { AnyJobKind } from "@/lib/jobs/define";
import { JOB_KIND_NAMES, jobKindRegistry, type JobKindName } from "@/job-kinds/registry";

// The job kinds as the rest of the system sees them: lookup by name and descriptions with JSON
// Schemas generated from the zod schemas that validate inputs and results. Kept free of database
// imports: agent scope validation uses isJobKind.

for (const name of JOB_KIND_NAMES) {
  if (jobKindRegistry[name].name !== name) throw new Error(`Job kind registry entry ${name} holds ${jobKindRegistry[name].name}`);
}

export function isJobKind(name: string): name is JobKindName {
  return Object.hasOwn(jobKindRegistry, name);
}

export function findJobKind(name: string): AnyJobKind | null {
  return isJobKind(name) ? jobKindRegistry[name] : null;
}

export function getJobKind(name: string): AnyJobKind {
  const kind = findJobKind(name);
  if (!kind) throw new AppError("not_found", `There is no job kind named "${name}"`);
  return kind;
}

export function allJobKinds(): AnyJobKind[] {
  return JOB_KIND_NAMES.map((name) => jobKindRegistry[name]);
}

export type JsonSchema = Record<string, unknown>;

export type JobKindDescription = {
  name: string;
  title: string;
  description: string;
  leaseMs: number;
  maxAttempts: number;
  maxRuntimeMs: number;
  inputSchema: JsonSchema;
  resultSchema: JsonSchema;
};

function jsonSchema(schema: z.ZodType, io: "input" | "output"): JsonSchema {
  return z.toJSONSchema(schema, { target: "draft-2020-12", io, unrepresentable: "any" }) as JsonSchema;
}

const described = new Map<string, JobKindDescription>();

export function describeJobKind(kind: AnyJobKind): JobKindDescription {
  let description = described.get(kind.name);
  if (!description) {
    description = {
      name: kind.name,
      title: kind.title,
      description: kind.description,
      leaseMs: kind.leaseMs,
      maxAttempts: kind.maxAttempts,
      maxRuntimeMs: kind.maxRuntimeMs,
      inputSchema: jsonSchema(kind.input, "input"),
      // What the agent sends back is parsed by the schema, so its input side is what it must match.
      resultSchema: jsonSchema(kind.result, "input"),
    };
    described.set(kind.name, description);
  }
  return description;
}
