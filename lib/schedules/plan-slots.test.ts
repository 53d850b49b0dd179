import { describe, expect, it } from "vitest";
import { GRACE_MS, planSlots } from "@/lib/schedules/plan-slots";

const at = (iso: string) => new Date(iso);

describe("planSlots", () => {
  it("treats fire times within the grace window as on time, older ones as missed", () => {
    const now = at("2026-05-04T10:01:30Z");
    const plans = planSlots({ fires: [at("2026-05-04T09:59:59Z"), at("2026-05-04T10:00:00Z")], truncatedSince: null, now, catchUp: "skip", catchUpLimit: 10 });
    expect(GRACE_MS).toBe(90_000);
    expect(plans.map((p) => [p.kind, p.status])).toEqual([
      ["catch_up", "skipped"],
      ["regular", "pending"],
    ]);
  });

  it("all: a limit larger than the missed slots runs them all", () => {
    const fires = [at("2026-05-04T07:00:00Z"), at("2026-05-04T08:00:00Z")];
    const plans = planSlots({ fires, truncatedSince: null, now: at("2026-05-04T09:30:00Z"), catchUp: "all", catchUpLimit: 5 });
    expect(plans.every((p) => p.status === "pending" && p.kind === "catch_up")).toBe(true);
  });

  it("once: a single missed slot runs late", () => {
    const plans = planSlots({ fires: [at("2026-05-04T07:00:00Z")], truncatedSince: null, now: at("2026-05-04T07:30:00Z"), catchUp: "once", catchUpLimit: 1 });
    expect(plans).toEqual([{ slotAt: at("2026-05-04T07:00:00Z"), kind: "catch_up", status: "pending", reason: "Missed while the app was down; runs late (catch-up: once)" }]);
  });

  it("has nothing to do with no fire times", () => {
    expect(planSlots({ fires: [], truncatedSince: at("2026-05-04T07:00:00Z"), now: at("2026-05-04T07:30:00Z"), catchUp: "once", catchUpLimit: 1 })).toEqual([]);
  });
});
