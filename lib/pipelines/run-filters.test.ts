import { describe, expect, it } from "vitest";
import { listRunsQuery } from "@/lib/pipelines/list-runs";
import { EMPTY_RUN_FILTERS, hasRunFilters, parseRunFilters, runFiltersToQuery, runFiltersToSearch } from "@/lib/pipelines/run-filters";

describe("runs page filters", () => {
  it("reads a shared URL and writes it back the same way", () => {
    const filters = parseRunFilters(new URLSearchParams("status=failed,queued&trigger=api&trigger=cli&actor=agent&range=24h&pipeline=system.echo"));
    expect(filters).toEqual({ pipeline: "system.echo", status: ["queued", "failed"], trigger: ["api", "cli"], actorType: "agent", range: "24h" });
    expect(runFiltersToSearch(filters)).toBe("pipeline=system.echo&status=queued%2Cfailed&trigger=api%2Ccli&actor=agent&range=24h");
    expect(parseRunFilters(new URLSearchParams(runFiltersToSearch(filters)))).toEqual(filters);
  });

  it("drops values a hand-edited URL made up instead of failing the page", () => {
    expect(parseRunFilters({ status: "failed,exploded", actor: "robot", range: "1y" })).toEqual({ ...EMPTY_RUN_FILTERS, status: ["failed"] });
    expect(hasRunFilters(parseRunFilters({}))).toBe(false);
  });

  it("turns into a query the runs API accepts, with the range resolved against now", () => {
    const now = Date.parse("2026-03-10T12:00:00Z");
    const query = runFiltersToQuery({ ...EMPTY_RUN_FILTERS, status: ["running"], range: "7d" }, { now, cursor: "run_01jabcdefghjkmnpqrstvwxyz0" });
    expect(query).toEqual({ limit: "50", status: "running", from: "2026-03-03T12:00:00.000Z", cursor: "run_01jabcdefghjkmnpqrstvwxyz0" });
    expect(listRunsQuery.parse(query)).toMatchObject({ status: ["running"], from: new Date("2026-03-03T12:00:00Z"), limit: 50 });
  });
});
