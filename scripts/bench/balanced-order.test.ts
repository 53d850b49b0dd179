import { describe, expect, it } from "vitest";
import { balancedOrder } from "./observability-benchmark";

// bench:observability's round order: a configuration's cost must not be read off the window that
// happens to come before it, so over n rounds each is measured in each place and after each other once.

describe("balancedOrder", () => {
  it.each([2, 4, 6])("over %i rounds puts each configuration in each place, and after each other, once", (n) => {
    const rows = Array.from({ length: n }, (_, turn) => balancedOrder(n, turn));
    for (const row of rows) expect([...row].sort((a, b) => a - b)).toEqual(Array.from({ length: n }, (_, i) => i));
    for (let place = 0; place < n; place++) expect(new Set(rows.map((row) => row[place])).size).toBe(n);
    const pairs = rows.flatMap((row) => row.slice(1).map((c, i) => `${row[i]}→${c}`));
    expect(new Set(pairs).size).toBe(n * (n - 1));
  });

  it("repeats every n rounds", () => {
    expect(balancedOrder(4, 5)).toEqual(balancedOrder(4, 1));
  });
});
