import { mkdir, mkdtemp, rm, symlink, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { normaliseHubPath, resolveHubPath } from "./paths";
import { readContext } from "./read-context";
import { searchContext } from "./search-context";
import { seedContextHub } from "./seed-hub";
import { failure } from "@/tests/setup/app-error";

// A seeded hub next to a folder it must never reach: links from the hub into it, a hidden folder
// inside the hub, and paths written to climb out.

let base: string;
let hub: string;

beforeAll(async () => {
  base = await mkdtemp(path.join(os.tmpdir(), "hub-paths-"));
  hub = path.join(base, "hub");
  await seedContextHub(hub);
  await mkdir(path.join(base, "outside"));
  await writeFile(path.join(base, "outside", "secret.md"), "TOP-SECRET payroll numbers\n");
  await symlink(path.join(base, "outside", "secret.md"), path.join(hub, "areas", "leak.md"));
  await symlink(path.join(base, "outside"), path.join(hub, "areas", "leak-dir"));
  await symlink("../soul.md", path.join(hub, "identity", "soul-link.md"));
  await mkdir(path.join(hub, ".git"));
  await writeFile(path.join(hub, ".git", "config"), "[core] TOP-SECRET\n");
  await writeFile(path.join(hub, "areas", ".draft.md"), "TOP-SECRET draft\n");
});

afterAll(async () => {
  await rm(base, { recursive: true, force: true });
});

describe("resolveHubPath", () => {
  it.each([
    ["../outside/secret.md"],
    ["..\\outside\\secret.md"],
    ["a/../../x"],
    ["areas/../../outside/secret.md"],
    [".."],
    ["/etc/passwd"],
    ["\\etc\\passwd"],
    ["C:\\Windows\\win.ini"],
    ["c:/Windows/win.ini"],
    ["\\\\server\\share\\file.md"],
  ])("refuses %j as outside the hub", async (input) => {
    const error = await failure(resolveHubPath(hub, input));
    expect(error.code).toBe("forbidden");
    expect(error.message).toContain("is outside the context hub");
  });

  it("refuses a NUL byte, however it arrived", async () => {
    const fromJson = JSON.parse('{"path":"soul.md\\u0000.txt"}') as { path: string };
    const error = await failure(resolveHubPath(hub, fromJson.path));
    expect(error.code).toBe("forbidden");
    expect(error.message).toContain("\\u0000");
    expect((await failure(resolveHubPath(hub, "areas/\u0000"))).code).toBe("forbidden");
  });

  it("takes %00 literally rather than decoding it", async () => {
    expect((await failure(resolveHubPath(hub, "soul.md%00.txt"))).code).toBe("not_found");
  });

  it("refuses symbolic links whose target leaves the hub", async () => {
    for (const input of ["areas/leak.md", "areas/leak-dir/secret.md", "areas/leak-dir"]) {
      const error = await failure(resolveHubPath(hub, input));
      expect(error.code, input).toBe("forbidden");
      expect(error.message).toContain("outside the context hub");
    }
  });

  it("follows a symbolic link that stays inside the hub", async () => {
    const resolved = await resolveHubPath(hub, "identity/soul-link.md");
    expect(resolved).toMatchObject({ relative: "identity/soul-link.md", kind: "file" });
    expect(resolved.absolute).toMatch(/soul\.md$/);
  });

  it("refuses hidden files and folders", async () => {
    for (const input of [".git/config", ".git", "areas/.draft.md"]) {
      expect((await failure(resolveHubPath(hub, input))).code, input).toBe("forbidden");
    }
  });

  it("answers not_found for paths that do not exist", async () => {
    const error = await failure(resolveHubPath(hub, "areas/no-such-file.md"));
    expect(error.code).toBe("not_found");
    expect((await failure(resolveHubPath(hub, "soul.md/child"))).code).toBe("not_found");
  });

  it("normalises separators, dots and slashes", async () => {
    expect(normaliseHubPath("./areas//clients/")).toBe("areas/clients");
    expect(normaliseHubPath("areas\\clients\\northwind-freight.md")).toBe("areas/clients/northwind-freight.md");
    expect(normaliseHubPath("")).toBe("");
    expect(normaliseHubPath(".")).toBe("");
    expect(await resolveHubPath(hub, "areas\\clients")).toMatchObject({ relative: "areas/clients", kind: "folder" });
    expect(await resolveHubPath(hub, "")).toMatchObject({ relative: "", kind: "folder" });
  });
});

describe("listings and search", () => {
  it("never show links that leave the hub or hidden entries", async () => {
    const overview = await readContext(hub, { tier: "overview", path: "areas", includeArchive: true });
    if (overview.tier !== "overview" || overview.kind !== "folder") throw new Error("expected a folder overview");
    const listed = [...overview.files.map((f) => f.path), ...overview.folders.map((f) => f.path)];
    expect(listed).toEqual(["areas/clients", "areas/content", "areas/health"]);

    const search = await searchContext(hub, { query: "TOP-SECRET", path: "", limit: 20, caseSensitive: false, includeArchive: true });
    expect(search.matches).toEqual([]);
  });
});
