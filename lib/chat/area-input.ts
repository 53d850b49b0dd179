import { z } from "zod";
import { isPipelineName } from "@/lib/pipelines/catalog";

// What an owner may set on an area, validated the same way from the dashboard, the API and the CLI.

export const ALL_PIPELINES = "*";

const pipelineRef = z
  .string()
  .trim()
  .refine((name) => name === ALL_PIPELINES || isPipelineName(name), { message: "is not a registered pipeline" });

const usd = (max: number) => z.number({ error: "must be a number" }).min(0, "must not be negative").max(max, `must be at most ${max}`);

export const areaFields = z.object({
  name: z.string().trim().min(1, "is required").max(60),
  description: z.string().trim().max(500).default(""),
  instructions: z.string().max(20_000).default(""),
  pipelines: z
    .array(pipelineRef)
    .max(100)
    .transform((names) => [...new Set(names)])
    .default([]),
  model: z.string().trim().min(1, "is required").max(100),
  maxSteps: z.number({ error: "must be a number" }).int("must be a whole number").min(1, "must be at least 1").max(50, "must be at most 50").describe("Model calls per turn (each tool round is one)"),
  turnBudgetUsd: usd(100).describe("Most one turn may cost, in US dollars"),
  dailyBudgetUsd: usd(1000).describe("Most the area may spend per UTC day, in US dollars"),
  inputUsdPerMTok: usd(1000).default(0).describe("Model price per million input tokens"),
  outputUsdPerMTok: usd(1000).default(0).describe("Model price per million output tokens"),
  position: z.number().int().min(0).max(1000).default(0),
});

export const createAreaInput = areaFields.extend({
  slug: z
    .string()
    .trim()
    .regex(/^[a-z][a-z0-9-]{1,31}$/, "2–32 lowercase letters, digits and hyphens, starting with a letter"),
});

// Defaults would overwrite what a partial update leaves out, so the update schema has none.
export const updateAreaInput = z.object(
  Object.fromEntries(Object.entries(areaFields.shape).map(([key, field]) => [key, withoutDefault(field).optional()])) as {
    [K in keyof typeof areaFields.shape]: z.ZodOptional<Unwrapped<(typeof areaFields.shape)[K]>>;
  },
);

type Unwrapped<T> = T extends z.ZodDefault<infer Inner> ? Inner : T;

function withoutDefault(field: z.ZodType): z.ZodType {
  return field instanceof z.ZodDefault ? (field.unwrap() as z.ZodType) : field;
}

export type CreateAreaInput = z.input<typeof createAreaInput>;
export type UpdateAreaInput = z.input<typeof updateAreaInput>;
