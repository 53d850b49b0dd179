import { describe, expect, it } from "vitest";
import { isSafeLocalPath, safeLocalPath } from "@/lib/http/safe-redirect";

describe("safe redirect paths", () => {
  it.each(["/", "/runs?status=failed", "/triage#review", "/pipelines/system.echo", "/a/b%2Fc"])("keeps %s", (path) => {
    expect(isSafeLocalPath(path)).toBe(true);
    expect(safeLocalPath(path)).toBe(path);
  });

  it.each([
    "//evil.example",
    "/\\evil.example",
    "\\\\evil.example",
    "/\t/evil.example",
    "/\n/evil.example",
    "https://evil.example/",
    "javascript:alert(1)",
    "evil.example",
    "",
  ])("refuses %j and falls back to /", (path) => {
    expect(isSafeLocalPath(path)).toBe(false);
    expect(safeLocalPath(path)).toBe("/");
  });

  it("takes the first of repeated query values", () => {
    expect(safeLocalPath(["/jobs", "//evil.example"])).toBe("/jobs");
    expect(safeLocalPath(undefined, "/triage")).toBe("/triage");
  });
});
