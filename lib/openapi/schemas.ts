import { z } from "zod";
import { ERROR_STATUS, type ErrorCode } from "@/lib/errors";
import type { Health } from "@/lib/health";
import type { PipelineDescription } from "@/lib/pipelines/catalog";
import type { getRunWithFamily, listRuns } from "@/lib/pipelines/list-runs";
import type { Exactly, Expect, Returned } from "@/lib/openapi/types";
import { runDtoSchema } from "@/lib/pipelines/run-dto";
import { pathParameter } from "@/lib/openapi/operations";

// Response shapes the API already returns, written as zod so the OpenAPI document can describe
// them. Each one is checked at compile time against the type the code returns, so a change to
// either side that the other does not follow stops the build.

const ERROR_CODES = Object.keys(ERROR_STATUS) as [ErrorCode, ...ErrorCode[]];

const requestId = z.string().describe("The request's id, also in the x-request-id header; quote it when reporting a problem");

export const errorBodySchema = z
  .object({
    error: z.object({
      code: z.enum(ERROR_CODES).describe("Stable, machine-readable; the HTTP status follows from it"),
      message: z.string().describe("Safe to show to a person"),
      details: z.unknown().optional(),
    }),
    requestId,
  })
  .meta({ id: "Error", description: "Every error response has this shape" });

export const fieldIssueSchema = z
  .object({
    path: z.string().describe('Where the problem is, e.g. "input.message" or "items[0]"; empty for the whole value'),
    message: z.string(),
  })
  .meta({ id: "FieldIssue" });

export const validationErrorBodySchema = z
  .object({
    error: z.object({
      code: z.literal("validation_failed"),
      message: z.string(),
      details: z.object({ issues: z.array(fieldIssueSchema) }),
    }),
    requestId,
  })
  .meta({ id: "ValidationError", description: "A body or query that does not match its schema, one issue per field" });

export const runFailedBodySchema = z
  .object({
    error: z.object({
      code: z.literal("run_failed"),
      message: z.string(),
      details: z.object({
        runId: z.string(),
        cause: z.string().optional().describe("The run's own error code, e.g. timeout or invalid_output"),
      }),
    }),
    requestId,
    run: runDtoSchema,
  })
  .meta({ id: "RunFailed", description: "The request was valid and the run was recorded, but the run failed or was cancelled" });

export const healthSchema = z
  .object({
    status: z.enum(["ok", "degraded"]),
    database: z.object({
      status: z.enum(["up", "down"]),
      latencyMs: z.number().optional(),
      version: z.string().optional(),
      embedded: z.boolean().describe("True when the app runs its own embedded PostgreSQL"),
      error: z.string().optional(),
    }),
    uptimeSeconds: z.number(),
    version: z.string().describe("The app's version"),
  })
  .meta({ id: "Health" });

const jsonSchemaObject = z.record(z.string(), z.unknown());

export const pipelineDescriptionSchema = z
  .object({
    name: z.string().describe('Dotted, lowercase: "<domain>.<verb>"'),
    title: z.string(),
    description: z.string(),
    areas: z.array(z.string()).describe('Areas whose assistants may use it by default ("*" for every area)'),
    sideEffects: z
      .enum(["none", "internal", "external"])
      .describe('What running it does to the world; "external" ones ask for approval in chat'),
    timeoutMs: z.number().int().describe("Hard limit for one run"),
    inputSchema: jsonSchemaObject.describe("JSON Schema (2020-12) of the input a run takes"),
    outputSchema: jsonSchemaObject.describe("JSON Schema (2020-12) of the output a successful run returns"),
  })
  .meta({ id: "PipelineDescription" });

export const pipelineListSchema = z.object({ pipelines: z.array(pipelineDescriptionSchema) });
export const pipelineResponseSchema = z.object({ pipeline: pipelineDescriptionSchema });
export const runResponseSchema = z.object({ run: runDtoSchema });

export const runListSchema = z.object({
  runs: z.array(runDtoSchema).describe("Newest first"),
  nextCursor: z.string().nullable().describe("Pass as `cursor` for the next page; null on the last page"),
});

export const runFamilySchema = z.object({
  run: runDtoSchema,
  parent: runDtoSchema.nullable().describe("The run that started this one, when it is a child run"),
  children: z.array(runDtoSchema).describe("Runs this one started, oldest first"),
  attempts: z.array(runDtoSchema).describe("Every run of the same work key (this one included), first first; empty without a work key"),
});

export const pipelineName = pathParameter("name", "The pipeline's name, e.g. system.echo", { type: "string", examples: ["system.echo"] });

export const runIdSchema = z.string().regex(/^run_[0-9a-z]{26}$/).describe("A run id (run_…)");

// Compile-time checks: each schema describes exactly what the code returns.

export type _ShapeChecks = [
  Expect<Exactly<z.infer<typeof healthSchema>, Health>>,
  Expect<Exactly<z.infer<typeof pipelineDescriptionSchema>, Omit<PipelineDescription, "areas"> & { areas: string[] }>>,
  Expect<Exactly<z.infer<typeof runListSchema>, Returned<typeof listRuns>>>,
  Expect<Exactly<z.infer<typeof runFamilySchema>, Returned<typeof getRunWithFamily>>>,
  Expect<Exactly<z.infer<typeof errorBodySchema>["error"]["code"], ErrorCode>>,
];
