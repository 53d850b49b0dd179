import { describe, expect, it } from "vitest";
import { isAppError } from "@/lib/errors";
import { applyInputTemplate, parsePath, validateInputTemplate } from "@/lib/events/input-template";

const payload = {
  type: "push",
  commit: { message: "Fix it", author: { name: "Ada" } },
  files: [{ path: "notes/a.md" }, { path: "notes/b.md" }],
  "odd key": 7,
  flag: false,
};

describe("input templates", () => {
  it("parses payload paths", () => {
    expect(parsePath("$")).toEqual([]);
    expect(parsePath("$.commit.author.name")).toEqual(["commit", "author", "name"]);
    expect(parsePath("$.files[1].path")).toEqual(["files", 1, "path"]);
    expect(parsePath("$['odd key']")).toEqual(["odd key"]);
    expect(parsePath('$["odd key"]')).toEqual(["odd key"]);
    for (const bad of ["$.", "$..a", "$.a.", "$[x]", "$a", "$.1abc", "$[-1]"]) expect(parsePath(bad), bad).toBeNull();
  });

  it("replaces path strings with payload values, keeps literals, nests, and unescapes $$", () => {
    const input = applyInputTemplate(
      {
        message: "$.commit.message",
        author: "$.commit.author",
        first: "$.files[0].path",
        odd: "$['odd key']",
        flag: "$.flag",
        tier: "full",
        count: 3,
        nested: { list: ["$.type", "literal"] },
        price: "$$5",
        all: "$",
      },
      payload,
    );
    expect(input).toEqual({
      message: "Fix it",
      author: { name: "Ada" },
      first: "notes/a.md",
      odd: 7,
      flag: false,
      tier: "full",
      count: 3,
      nested: { list: ["push", "literal"] },
      price: "$5",
      all: payload,
    });
    expect(applyInputTemplate("$", payload)).toEqual(payload);
    expect(applyInputTemplate({}, payload)).toEqual({});
  });

  it("fails with the path the payload does not have", () => {
    expect(() => applyInputTemplate({ m: "$.commit.title" }, payload)).toThrow('$.commit.title: the payload has no "title" at $.commit');
    expect(() => applyInputTemplate({ m: "$.files[5].path" }, payload)).toThrow("$.files[5].path: the payload has no item [5] at $.files");
    expect(() => applyInputTemplate({ m: "$.type.x" }, payload)).toThrow('the payload has no "x" at $.type');
    expect(() => applyInputTemplate("$", ["not", "an", "object"])).toThrow(/needs a payload that is a JSON object/);
  });

  it("validates the syntax of every path up front, naming where it is", () => {
    expect(validateInputTemplate({ a: "$.ok", b: [1, { c: "$$literal" }] })).toBeTruthy();
    try {
      validateInputTemplate({ a: "$.ok", b: [1, { c: "$..bad" }] });
      throw new Error("expected an error");
    } catch (error) {
      expect(isAppError(error) && error.status).toBe(400);
      expect((error as Error).message).toMatch(/b\[1\]\.c: "\$\.\.bad" is not a payload path/);
    }
    for (const notObject of [[], "text", 42, null, "$.a"]) expect(() => validateInputTemplate(notObject)).toThrow(/must be a JSON object/);
  });
});
