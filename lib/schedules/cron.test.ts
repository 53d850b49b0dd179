import { describe, expect, it } from "vitest";
import {
  cronProblem,
  firesBetween,
  formatInZone,
  formatOffset,
  latestFiresBetween,
  nextFireTimes,
  normalizeTimezone,
} from "@/lib/schedules/cron";
import { describeCron } from "@/lib/schedules/describe-cron";

const iso = (dates: Date[]) => dates.map((d) => d.toISOString());
const next = (cron: string, tz: string, after: string, count: number) => iso(nextFireTimes(cron, tz, new Date(after), count));

describe("cron: daylight saving, spring forward (a skipped hour)", () => {
  it("fires a 02:30 Europe/Amsterdam job once on 2026-03-29, at 03:00 CEST when the clock jumps", () => {
    expect(next("30 2 * * *", "Europe/Amsterdam", "2026-03-27T12:00:00Z", 4)).toEqual([
      "2026-03-28T01:30:00.000Z", // 02:30 CET (+01:00)
      "2026-03-29T01:00:00.000Z", // 02:30 does not exist: 03:00 CEST, the moment the clock jumps
      "2026-03-30T00:30:00.000Z", // 02:30 CEST (+02:00)
      "2026-03-31T00:30:00.000Z",
    ]);
    expect(formatInZone(new Date("2026-03-29T01:00:00Z"), "Europe/Amsterdam")).toBe("Sun, 29 Mar 2026, 03:00 CEST");
  });

  it("fires a 02:30 America/New_York job once on 2026-03-08, at 03:00 EDT", () => {
    expect(next("30 2 * * *", "America/New_York", "2026-03-07T00:00:00Z", 3)).toEqual([
      "2026-03-07T07:30:00.000Z", // 02:30 EST (-05:00)
      "2026-03-08T07:00:00.000Z", // 03:00 EDT
      "2026-03-09T06:30:00.000Z", // 02:30 EDT (-04:00)
    ]);
  });

  it("fires several skipped times of one job once, together, and does not double with a real 03:00", () => {
    expect(next("0,30 2 * * *", "Europe/Amsterdam", "2026-03-28T23:00:00Z", 3)).toEqual([
      "2026-03-29T01:00:00.000Z",
      "2026-03-30T00:00:00.000Z",
      "2026-03-30T00:30:00.000Z",
    ]);
    expect(next("0 2,3 * * *", "Europe/Amsterdam", "2026-03-28T23:00:00Z", 2)).toEqual(["2026-03-29T01:00:00.000Z", "2026-03-30T00:00:00.000Z"]);
  });

  it("keeps hourly rhythms in real time: no fire for times that do not exist, nothing doubled", () => {
    expect(next("*/30 * * * *", "America/New_York", "2026-03-08T06:00:00Z", 4)).toEqual([
      "2026-03-08T06:30:00.000Z", // 01:30 EST
      "2026-03-08T07:00:00.000Z", // 03:00 EDT (02:00 and 02:30 do not exist)
      "2026-03-08T07:30:00.000Z",
      "2026-03-08T08:00:00.000Z",
    ]);
    expect(next("0 * * * *", "Europe/Amsterdam", "2026-03-28T23:30:00Z", 3)).toEqual([
      "2026-03-29T00:00:00.000Z", // 01:00 CET
      "2026-03-29T01:00:00.000Z", // 03:00 CEST
      "2026-03-29T02:00:00.000Z", // 04:00 CEST
    ]);
  });
});

describe("cron: daylight saving, fall back (a repeated hour)", () => {
  it("fires a 01:30 America/New_York job once on 2026-11-01, at the first 01:30 (EDT)", () => {
    expect(next("30 1 * * *", "America/New_York", "2026-10-31T00:00:00Z", 3)).toEqual([
      "2026-10-31T05:30:00.000Z", // 01:30 EDT
      "2026-11-01T05:30:00.000Z", // 01:30 EDT, the first pass; 06:30Z (01:30 EST) does not fire
      "2026-11-02T06:30:00.000Z", // 01:30 EST
    ]);
  });

  it("does not fire the second 01:30 when asked from between the two passes", () => {
    expect(next("30 1 * * *", "America/New_York", "2026-11-01T05:45:00Z", 1)).toEqual(["2026-11-02T06:30:00.000Z"]);
    expect(next("30 1 * * *", "America/New_York", "2026-11-01T06:10:00Z", 1)).toEqual(["2026-11-02T06:30:00.000Z"]);
  });

  it("fires a 02:30 Europe/Amsterdam job once on 2026-10-25, at the first 02:30 (CEST)", () => {
    expect(next("30 2 * * *", "Europe/Amsterdam", "2026-10-24T12:00:00Z", 2)).toEqual([
      "2026-10-25T00:30:00.000Z", // 02:30 CEST; 01:30Z (02:30 CET) does not fire
      "2026-10-26T01:30:00.000Z",
    ]);
  });

  it("keeps hourly rhythms in real time through both passes of the repeated hour", () => {
    expect(next("*/30 * * * *", "America/New_York", "2026-11-01T04:45:00Z", 5)).toEqual([
      "2026-11-01T05:00:00.000Z", // 01:00 EDT
      "2026-11-01T05:30:00.000Z", // 01:30 EDT
      "2026-11-01T06:00:00.000Z", // 01:00 EST
      "2026-11-01T06:30:00.000Z", // 01:30 EST
      "2026-11-01T07:00:00.000Z", // 02:00 EST
    ]);
    // Asked from inside the first pass, the second pass still comes, in order.
    expect(next("*/30 * * * *", "America/New_York", "2026-11-01T05:50:00Z", 2)).toEqual(["2026-11-01T06:00:00.000Z", "2026-11-01T06:30:00.000Z"]);
  });
});

describe("cron: fire times", () => {
  it("returns instants strictly after the given one, in order", () => {
    expect(next("*/15 * * * *", "UTC", "2026-01-01T00:15:00Z", 3)).toEqual(["2026-01-01T00:30:00.000Z", "2026-01-01T00:45:00.000Z", "2026-01-01T01:00:00.000Z"]);
    expect(next("*/15 * * * *", "UTC", "2026-01-01T00:14:59.999Z", 1)).toEqual(["2026-01-01T00:15:00.000Z"]);
  });

  it("reads days and weekdays in the schedule's timezone", () => {
    // 09:00 on weekdays in Tokyo: Monday 09:00 JST is Sunday 00:00 UTC.
    expect(next("0 9 * * 1-5", "Asia/Tokyo", "2026-01-02T12:00:00Z", 2)).toEqual(["2026-01-05T00:00:00.000Z", "2026-01-06T00:00:00.000Z"]);
  });

  it("lists the fire times in an interval, and the latest ones of a long interval", () => {
    expect(iso(firesBetween("0 * * * *", "UTC", new Date("2026-01-01T00:00:00Z"), new Date("2026-01-01T03:00:00Z"), 10))).toEqual([
      "2026-01-01T01:00:00.000Z",
      "2026-01-01T02:00:00.000Z",
      "2026-01-01T03:00:00.000Z",
    ]);
    const week = latestFiresBetween("* * * * *", "Europe/Amsterdam", new Date("2026-01-01T00:00:00Z"), new Date("2026-01-08T00:00:30Z"), 100);
    expect(week.fires).toHaveLength(100);
    expect(week.fires[99]!.toISOString()).toBe("2026-01-08T00:00:00.000Z");
    expect(week.fires[0]!.toISOString()).toBe("2026-01-07T22:21:00.000Z");
    expect(week.truncated).toBe(true);
    const few = latestFiresBetween("0 3 * * *", "UTC", new Date("2026-01-01T00:00:00Z"), new Date("2026-01-04T00:00:00Z"), 100);
    expect(iso(few.fires)).toEqual(["2026-01-01T03:00:00.000Z", "2026-01-02T03:00:00.000Z", "2026-01-03T03:00:00.000Z"]);
    expect(few.truncated).toBe(false);
  });
});

describe("cron: validation", () => {
  it.each([
    ["* * * * *", null],
    ["0 9 * * MON-FRI", null],
    ["@daily", null],
    ["0 0 * * * *", expect.stringContaining("five fields")],
    ["* * * *", expect.stringContaining("five fields")],
    ["61 * * * *", expect.stringContaining("minute")],
    ["0 0 31 2 *", "never matches a date"],
    ["", "is required"],
  ])("%s", (cron, problem) => {
    expect(cronProblem(cron)).toEqual(problem);
  });

  it("accepts IANA timezone names, not offsets or made-up names", () => {
    expect(normalizeTimezone("Europe/Amsterdam")).toBe("Europe/Amsterdam");
    expect(normalizeTimezone("europe/amsterdam")).toBe("Europe/Amsterdam");
    expect(normalizeTimezone("UTC")).toBe("UTC");
    expect(normalizeTimezone("US/Eastern")).toBe("US/Eastern");
    expect(normalizeTimezone("+01:00")).toBeNull();
    expect(normalizeTimezone("Mars/Olympus_Mons")).toBeNull();
  });

  it("formats offsets", () => {
    expect(formatOffset(new Date("2026-07-01T00:00:00Z"), "America/New_York")).toBe("-04:00");
    expect(formatOffset(new Date("2026-07-01T00:00:00Z"), "Asia/Kolkata")).toBe("+05:30");
  });
});

describe("describeCron", () => {
  it.each([
    ["* * * * *", "Every minute"],
    ["*/5 * * * *", "Every 5 minutes"],
    ["0 * * * *", "Every hour, on the hour"],
    ["15 * * * *", "Every hour at :15"],
    ["0 */2 * * *", "Every 2 hours at :00"],
    ["30 2 * * *", "At 02:30 every day"],
    ["0 9 * * 1-5", "At 09:00 on weekdays"],
    ["0 9,17 * * MON", "At 09:00 and 17:00 on Monday"],
    ["0 10 * * 0,6", "At 10:00 on weekends"],
    ["0 8 1 * *", "At 08:00 on the 1st of the month"],
    ["@daily", "At 00:00 every day"],
    ["0 0 1 1 *", null],
    ["*/7 3-5 * * *", null],
  ])("%s → %s", (cron, words) => {
    expect(describeCron(cron)).toBe(words);
  });
});
