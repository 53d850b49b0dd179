import { describe, expect, it, vi } from "vitest";
import { newId } from "@/lib/ids";

describe("newId", () => {
  it("is the prefix and a lower-case ULID", () => {
    expect(newId("run")).toMatch(/^run_[0-9a-hjkmnp-tv-z]{26}$/);
  });

  it("never repeats and sorts in the order it was made, across many refills of the random pool", () => {
    const ids = Array.from({ length: 20_000 }, () => newId("job"));
    expect(new Set(ids).size).toBe(ids.length);
    expect([...ids].sort()).toEqual(ids);
  });

  it("draws a fresh random part in every new millisecond, over the whole alphabet", () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    try {
      const start = Date.now();
      const firstRandom = Array.from({ length: 3_000 }, (_, i) => {
        vi.setSystemTime(start + 1 + i);
        return newId("evt").charAt("evt_".length + 10);
      });
      expect(new Set(firstRandom).size).toBe(32);
    } finally {
      vi.useRealTimers();
    }
  });
});
