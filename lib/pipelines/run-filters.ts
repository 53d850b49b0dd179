import { ACTOR_TYPES, RUN_STATUSES, RUN_TRIGGERS, type RunDto } from "@/lib/pipelines/run-dto";

// The runs page's filters as they appear in its URL (`/runs?status=failed,cancelled&range=24h`),
// shared by the server page, the client store and the API query they turn into. Unknown values
// in a hand-edited URL are dropped rather than failing the page.

export const RUN_RANGES = ["1h", "24h", "7d", "30d", "all"] as const;
export type RunRange = (typeof RUN_RANGES)[number];

const RANGE_MS: Record<Exclude<RunRange, "all">, number> = {
  "1h": 3_600_000,
  "24h": 24 * 3_600_000,
  "7d": 7 * 24 * 3_600_000,
  "30d": 30 * 24 * 3_600_000,
};

export type RunFilters = {
  pipeline: string | null;
  status: RunDto["status"][];
  trigger: RunDto["trigger"][];
  actorType: RunDto["actor"]["type"] | null;
  range: RunRange;
};

export const EMPTY_RUN_FILTERS: RunFilters = { pipeline: null, status: [], trigger: [], actorType: null, range: "all" };

export const RUNS_PAGE_SIZE = 50;

type SearchParamsLike = Record<string, string | string[] | undefined> | URLSearchParams;

function values(params: SearchParamsLike, key: string): string[] {
  const raw = params instanceof URLSearchParams ? params.getAll(key) : params[key];
  const list = Array.isArray(raw) ? raw : raw ? [raw] : [];
  return list.flatMap((v) => v.split(",")).map((v) => v.trim()).filter(Boolean);
}

function oneOf<T extends string>(allowed: readonly T[], value: string | undefined): T | null {
  return value !== undefined && (allowed as readonly string[]).includes(value) ? (value as T) : null;
}

function manyOf<T extends string>(allowed: readonly T[], list: string[]): T[] {
  // Kept in the canonical order, so equal filters give equal URLs.
  return allowed.filter((v) => list.includes(v));
}

export function parseRunFilters(params: SearchParamsLike): RunFilters {
  const pipeline = values(params, "pipeline")[0] ?? null;
  return {
    pipeline: pipeline && pipeline.length <= 100 ? pipeline : null,
    status: manyOf(RUN_STATUSES, values(params, "status")),
    trigger: manyOf(RUN_TRIGGERS, values(params, "trigger")),
    actorType: oneOf(ACTOR_TYPES, values(params, "actor")[0]),
    range: oneOf(RUN_RANGES, values(params, "range")[0]) ?? "all",
  };
}

/** The page's query string (without "?"); empty when no filter is set. */
export function runFiltersToSearch(filters: RunFilters): string {
  const params = new URLSearchParams();
  if (filters.pipeline) params.set("pipeline", filters.pipeline);
  if (filters.status.length) params.set("status", filters.status.join(","));
  if (filters.trigger.length) params.set("trigger", filters.trigger.join(","));
  if (filters.actorType) params.set("actor", filters.actorType);
  if (filters.range !== "all") params.set("range", filters.range);
  return params.toString();
}

export function hasRunFilters(filters: RunFilters): boolean {
  return runFiltersToSearch(filters) !== "";
}

/** The filters as GET /api/runs (and listRunsQuery) take them; the range is resolved against `now`. */
export function runFiltersToQuery(
  filters: RunFilters,
  options: { now?: number; limit?: number; cursor?: string | null } = {},
): Record<string, string> {
  const query: Record<string, string> = { limit: String(options.limit ?? RUNS_PAGE_SIZE) };
  if (filters.pipeline) query.pipeline = filters.pipeline;
  if (filters.status.length) query.status = filters.status.join(",");
  if (filters.trigger.length) query.trigger = filters.trigger.join(",");
  if (filters.actorType) query.actorType = filters.actorType;
  if (filters.range !== "all") query.from = new Date((options.now ?? Date.now()) - RANGE_MS[filters.range]).toISOString();
  if (options.cursor) query.cursor = options.cursor;
  return query;
}
