import { z } from "zod";
import { autocommit } from "@/lib/db/transaction";
import { AppError } from "@/lib/errors";
import { ACTOR_TYPES, RUN_STATUSES, RUN_TRIGGERS, toRunDto, type RunDto } from "@/lib/pipelines/run-dto";
import * as runs from "@/lib/pipelines/runs.repository";

// Reading the record: one run with its children, or a filtered, cursor-paginated list.

const csvOf = <T extends readonly [string, ...string[]]>(values: T) =>
  z
    .union([z.string(), z.array(z.string())])
    .transform((v) => (Array.isArray(v) ? v : v.split(",")).map((s) => s.trim()).filter(Boolean))
    .pipe(z.array(z.enum(values)));

export const listRunsQuery = z.object({
  pipeline: z.string().max(100).optional(),
  status: csvOf(RUN_STATUSES).optional().describe("One or more statuses, comma-separated"),
  trigger: csvOf(RUN_TRIGGERS).optional().describe("One or more triggers, comma-separated"),
  actorType: z.enum(ACTOR_TYPES).optional(),
  actorId: z.string().max(100).optional(),
  parentRunId: z.string().max(100).optional(),
  from: z.coerce.date().optional().describe("Queued at or after (ISO 8601)"),
  to: z.coerce.date().optional().describe("Queued before (ISO 8601)"),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().regex(/^run_[0-9a-z]{26}$/, "is not a run cursor").optional(),
});

export type ListRunsQuery = z.infer<typeof listRunsQuery>;

export async function listRuns(query: ListRunsQuery): Promise<{ runs: RunDto[]; nextCursor: string | null }> {
  const { limit, cursor, ...filters } = query;
  if (filters.from && filters.to && filters.from >= filters.to) {
    throw new AppError("validation_failed", "`from` must be before `to`", { issues: [{ path: "from", message: "must be before to" }] });
  }
  // One extra row tells whether there is a next page.
  const rows = await runs.listRuns(autocommit(), filters, limit + 1, cursor);
  const page = rows.slice(0, limit);
  return { runs: page.map(toRunDto), nextCursor: rows.length > limit ? page[page.length - 1]!.id : null };
}

export async function getRunWithFamily(id: string): Promise<{ run: RunDto; parent: RunDto | null; children: RunDto[]; attempts: RunDto[] }> {
  const db = autocommit();
  const row = await runs.findRun(db, id);
  if (!row) throw new AppError("not_found", `There is no run ${id}`);
  const [parent, children, attempts] = await Promise.all([
    row.parentRunId ? runs.findRun(db, row.parentRunId) : null,
    runs.listChildRuns(db, id),
    row.workKey ? runs.listAttempts(db, row.workKey) : [],
  ]);
  return { run: toRunDto(row), parent: parent ? toRunDto(parent) : null, children: children.map(toRunDto), attempts: attempts.map(toRunDto) };
}
