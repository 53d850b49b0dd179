import { describe, expect, it } from "vitest";
import { describeRetrySchedule, RETRY_DELAYS_SECONDS } from "@/lib/events/retry-schedule";

// The schedule the README documents and the Overview states.

describe("the automatic retry schedule", () => {
  it("waits 1 min, 5 min, 30 min, 2 h and 6 h", () => {
    expect(RETRY_DELAYS_SECONDS).toEqual([60, 300, 1800, 7200, 21600]);
    expect(describeRetrySchedule()).toBe("1 min, 5 min, 30 min, 2 h and 6 h");
    expect(describeRetrySchedule([30 * 60])).toBe("30 min");
  });
});
