import { describe, expect, it } from "vitest";
import { normaliseIp } from "./ip";

describe("normaliseIp", () => {
  it.each([
    ["::ffff:127.0.0.1", "127.0.0.1"],
    ["::FFFF:10.1.2.3", "10.1.2.3"],
    [" 203.0.113.9 ", "203.0.113.9"],
    ["::1", "::1"],
    ["2001:db8::1", "2001:db8::1"],
    ["::ffff:zz", "::ffff:zz"],
  ])("shows %j as %j", (input, expected) => {
    expect(normaliseIp(input)).toBe(expected);
  });
});
