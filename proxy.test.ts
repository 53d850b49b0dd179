import { describe, expect, it } from "vitest";
import { config, MACHINE_API } from "./proxy";

// Next.js runs the proxy only where config.matcher matches (a path-to-regexp pattern whose custom
// part is a plain regular expression, so it can be read here as one).
const matcher = new RegExp(`^${config.matcher[0]}$`);

describe("which requests pass through the proxy", () => {
  it.each(MACHINE_API.flatMap((prefix) => [prefix, `${prefix}/some/thing`]))("skips the machine endpoint %s", (path) => {
    expect(matcher.test(path)).toBe(false);
  });

  it.each(["/", "/settings", "/runs/run_1", "/sign-in", "/api/runs", "/api/agents", "/api/agents/agt_1/rotate-secret", "/api/healthz", "/api/auth/session", "/api/anything/else"])(
    "passes %s through",
    (path) => {
      expect(matcher.test(path)).toBe(true);
    },
  );

  it("skips static files", () => {
    expect(matcher.test("/_next/static/chunks/app.js")).toBe(false);
    expect(matcher.test("/favicon.ico")).toBe(false);
  });
});
