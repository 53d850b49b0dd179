import { z } from "zod";
import { AppError, fieldIssues, type FieldIssue } from "@/lib/errors";
import { findPipeline } from "@/lib/pipelines/catalog";
import { cronProblem, normalizeCron, normalizeTimezone } from "@/lib/schedules/cron";
import { CATCH_UP_POLICIES, MAX_CATCH_UP_LIMIT, OVERLAP_POLICIES, type CatchUpPolicyName, type OverlapPolicyName } from "@/lib/schedules/policies";

// What a schedule is made of, as the API, the dashboard form and the CLI send it. Shape errors
// (zod) and meaning errors (a cron that never fires, an unknown timezone or pipeline, input the
// pipeline's own schema rejects) are reported together, each on its field.


const name = z
  .string()
  .trim()
  .min(1, "is required")
  .max(100, "must be at most 100 characters")
  .refine((v) => !/^sch_/i.test(v), "must not start with sch_ (schedule ids do)")
  .describe("Unique; used to refer to the schedule in the CLI and URLs");

const fields = {
  name,
  description: z.string().trim().max(500, "must be at most 500 characters").nullable(),
  cron: z.string().max(200, "must be at most 200 characters").describe('Five fields: minute hour day-of-month month day-of-week, e.g. "0 9 * * 1-5"'),
  timezone: z.string().max(64, "must be at most 64 characters").describe("IANA timezone the cron is read in, e.g. Europe/Amsterdam"),
  pipeline: z.string().min(1, "is required").max(100).describe("The pipeline to run"),
  input: z.record(z.string(), z.unknown()).describe("The pipeline's input, checked against its input schema when saved"),
  enabled: z.boolean(),
  catchUp: z.enum(CATCH_UP_POLICIES).describe("Slots missed while the app was down: skip them, run once, or run each (up to catchUpLimit)"),
  catchUpLimit: z.number().int("must be a whole number").min(1, "must be at least 1").max(MAX_CATCH_UP_LIMIT, `must be at most ${MAX_CATCH_UP_LIMIT}`),
  overlap: z.enum(OVERLAP_POLICIES).describe("When the previous run is still going: skip this slot, or queue it until that run ends"),
};

export const createScheduleBody = z
  .object({
    ...fields,
    description: fields.description.optional(),
    input: fields.input.default({}),
    enabled: fields.enabled.default(true),
    catchUp: fields.catchUp.default("once"),
    catchUpLimit: fields.catchUpLimit.default(10),
    overlap: fields.overlap.default("skip"),
  })
  .meta({ id: "CreateScheduleRequest" });

export const updateScheduleBody = z
  .object({
    name: fields.name.optional(),
    description: fields.description.optional(),
    cron: fields.cron.optional(),
    timezone: fields.timezone.optional(),
    pipeline: fields.pipeline.optional(),
    input: fields.input.optional(),
    enabled: fields.enabled.optional(),
    catchUp: fields.catchUp.optional(),
    catchUpLimit: fields.catchUpLimit.optional(),
    overlap: fields.overlap.optional(),
  })
  .meta({ id: "UpdateScheduleRequest" });

export const previewBody = z
  .object({
    cron: z.string().max(200),
    timezone: z.string().max(64),
    count: z.number().int().min(1).max(50).default(5),
  })
  .meta({ id: "SchedulePreviewRequest" });

export type CreateScheduleInput = z.input<typeof createScheduleBody>;
export type UpdateScheduleInput = z.input<typeof updateScheduleBody>;

/** A complete, checked definition, ready to store. */
export type ScheduleDefinition = {
  name: string;
  description: string | null;
  cron: string;
  timezone: string;
  pipeline: string;
  input: Record<string, unknown>;
  enabled: boolean;
  catchUp: CatchUpPolicyName;
  catchUpLimit: number;
  overlap: OverlapPolicyName;
};

function invalid(issues: FieldIssue[], what = "Schedule"): AppError {
  const first = issues[0];
  const summary = first ? `${first.path ? `${first.path}: ` : ""}${first.message}` : "invalid";
  return new AppError("validation_failed", `${what} is invalid (${summary})`, { issues });
}

/** Cron and timezone problems, by field; also used by the preview. */
export function timingIssues(cron: string, timezone: string): FieldIssue[] {
  const issues: FieldIssue[] = [];
  const cronError = cronProblem(cron);
  if (cronError) issues.push({ path: "cron", message: cronError });
  if (!timezone.trim()) issues.push({ path: "timezone", message: "is required" });
  else if (!normalizeTimezone(timezone)) issues.push({ path: "timezone", message: `"${timezone.trim()}" is not an IANA timezone (e.g. Europe/Amsterdam)` });
  return issues;
}

/** Meaning problems of whichever fields are present and well-typed. */
function meaningIssues(definition: Partial<ScheduleDefinition>): FieldIssue[] {
  const issues: FieldIssue[] = [];
  if (typeof definition.cron === "string" && typeof definition.timezone === "string") {
    issues.push(...timingIssues(definition.cron, definition.timezone));
  }
  if (typeof definition.pipeline === "string" && definition.pipeline) {
    const pipeline = findPipeline(definition.pipeline);
    if (!pipeline) {
      issues.push({ path: "pipeline", message: `there is no pipeline named "${definition.pipeline}"` });
    } else if (definition.input && typeof definition.input === "object" && !Array.isArray(definition.input)) {
      const parsed = pipeline.input.safeParse(definition.input);
      if (!parsed.success) {
        for (const issue of fieldIssues(parsed.error)) issues.push({ path: issue.path ? `input.${issue.path}` : "input", message: issue.message });
      }
    }
  }
  return issues;
}

/** Checks a complete definition's meaning; returns it normalized or throws validation_failed. */
export function checkDefinition(definition: ScheduleDefinition): ScheduleDefinition {
  const issues = meaningIssues(definition);
  if (issues.length > 0) throw invalid(issues);
  return { ...definition, cron: normalizeCron(definition.cron), timezone: normalizeTimezone(definition.timezone)! };
}

/**
 * Parses a body with `schema`. When its shape is wrong, the meaning of the fields that are fine is
 * checked too, so a form shows every problem at once.
 */
export function parseScheduleBody<S extends z.ZodType>(schema: S, body: unknown, current?: ScheduleDefinition): z.output<S> {
  const parsed = schema.safeParse(body ?? {});
  if (parsed.success) return parsed.data;
  const issues = fieldIssues(parsed.error);
  const raw = (body && typeof body === "object" ? body : {}) as Partial<ScheduleDefinition>;
  const flagged = (path: string) => issues.some((i) => i.path === path || (path.startsWith("input") && i.path.startsWith("input")));
  for (const issue of meaningIssues({ ...current, ...raw })) if (!flagged(issue.path)) issues.push(issue);
  throw invalid(issues);
}
