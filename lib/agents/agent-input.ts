import { isJobKind } from "@/lib/jobs/kinds";
import { z } from "zod";
import { isPipelineName } from "@/lib/pipelines/catalog";

// What a person may set on an agent: name, description and scope. Every pipeline in a scope must
// exist in the registry; every job kind must be a known kind.

export const AGENT_NAME = /^[a-z0-9][a-z0-9-]{1,62}$/;

// An agent may only be scoped to job kinds that exist in job-kinds/registry.ts.
function isKnownJobKind(kind: string): boolean {
  return isJobKind(kind);
}

const unique = (list: string[]) => [...new Set(list)];

export const pipelineScope = z
  .array(z.string().trim().min(1))
  .max(200)
  .transform(unique)
  .superRefine((names, ctx) => {
    names.forEach((name, i) => {
      if (!isPipelineName(name)) ctx.addIssue({ code: "custom", path: [i], message: `there is no pipeline named "${name}"` });
    });
  });

export const jobKindScope = z
  .array(z.string().trim().min(1))
  .max(200)
  .transform(unique)
  .superRefine((kinds, ctx) => {
    kinds.forEach((kind, i) => {
      if (!isKnownJobKind(kind)) ctx.addIssue({ code: "custom", path: [i], message: `"${kind}" is not a known job kind` });
    });
  });

const description = z.string().trim().max(500).transform((v) => (v === "" ? null : v));

export const createAgentInput = z.object({
  name: z.string().trim().regex(AGENT_NAME, "must be 2–63 lowercase letters, digits or dashes, starting with a letter or digit"),
  description: description.nullish(),
  jobKinds: jobKindScope.default([]),
  pipelines: pipelineScope.default([]),
});

export type CreateAgentInput = z.input<typeof createAgentInput>;

export const updateAgentInput = z.object({
  description: description.nullish(),
  checkInMinutes: z.number().int().min(1).max(7 * 24 * 60).optional(),
  jobKinds: jobKindScope.optional(),
  pipelines: pipelineScope.optional(),
});

export type UpdateAgentInput = z.input<typeof updateAgentInput>;
