import { lstat, mkdir, mkdtemp, readFile, readdir, readlink, rm, symlink, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { failure } from "@/tests/setup/app-error";
import { seedContextHub } from "./seed-hub";
import { sha256, writeHubFile } from "./write-file";

// Writing a hub file: it lands where it should, with the hash check, and never outside the hub
// (traversal, links out of the hub, hidden folders), and never leaves a temporary file behind.

let base: string;
let hub: string;
const outside = () => path.join(base, "outside");

beforeAll(async () => {
  base = await mkdtemp(path.join(os.tmpdir(), "hub-write-"));
  hub = path.join(base, "hub");
  await seedContextHub(hub);
  await mkdir(outside());
  await writeFile(path.join(outside(), "secret.md"), "untouched\n");
  await symlink(outside(), path.join(hub, "areas", "escape-dir"));
  await symlink(path.join(outside(), "secret.md"), path.join(hub, "areas", "escape.md"));
  await symlink("../soul.md", path.join(hub, "identity", "soul-link.md"));
  await mkdir(path.join(hub, ".git"));
});

afterAll(() => rm(base, { recursive: true, force: true }));

async function tempFiles(folder: string): Promise<string[]> {
  return (await readdir(folder)).filter((name) => name.startsWith(".write-"));
}

describe("writeHubFile", () => {
  it("creates a new file, with missing folders, and reports its hash", async () => {
    const result = await writeHubFile(hub, { path: "projects/launch/plan.md", content: "# Plan\n", expectedSha256: null });
    expect(result).toEqual({ path: "projects/launch/plan.md", bytes: 7, sha256: sha256("# Plan\n"), created: true, previousSha256: null });
    expect(await readFile(path.join(hub, "projects", "launch", "plan.md"), "utf8")).toBe("# Plan\n");
    expect(await tempFiles(path.join(hub, "projects", "launch"))).toEqual([]);
  });

  it("replaces a file only when the hash it was opened with still matches", async () => {
    const before = await readFile(path.join(hub, "soul.md"));
    const first = await writeHubFile(hub, { path: "soul.md", content: "# Me, edited\n", expectedSha256: sha256(before) });
    expect(first).toMatchObject({ created: false, previousSha256: sha256(before) });
    const stale = await failure(writeHubFile(hub, { path: "soul.md", content: "# Me, lost edit\n", expectedSha256: sha256(before) }));
    expect(stale.code).toBe("conflict");
    expect(stale.message).toContain("changed since it was opened");
    expect(await readFile(path.join(hub, "soul.md"), "utf8")).toBe("# Me, edited\n");
  });

  it("refuses to create over an existing file", async () => {
    const error = await failure(writeHubFile(hub, { path: "soul.md", content: "x", expectedSha256: null }));
    expect(error.code).toBe("conflict");
  });

  it("writes through a link that stays inside the hub, keeping the link", async () => {
    const soul = await readFile(path.join(hub, "soul.md"));
    await writeHubFile(hub, { path: "identity/soul-link.md", content: "# Via the link\n", expectedSha256: sha256(soul) });
    expect(await readFile(path.join(hub, "soul.md"), "utf8")).toBe("# Via the link\n");
    expect((await lstat(path.join(hub, "identity", "soul-link.md"))).isSymbolicLink()).toBe(true);
    expect(await readlink(path.join(hub, "identity", "soul-link.md"))).toBe("../soul.md");
  });

  it.each([
    ["../outside/new.md", "forbidden"],
    ["areas/../../outside/new.md", "forbidden"],
    ["/etc/evil.md", "forbidden"],
    ["areas/escape-dir/new.md", "forbidden"],
    ["areas/escape-dir/secret.md", "forbidden"],
    ["areas/escape.md", "forbidden"],
    [".git/config.md", "forbidden"],
    ["areas/.hidden.md", "forbidden"],
    ["areas/script.sh", "bad_request"],
    ["", "bad_request"],
    ["areas", "bad_request"],
  ])("refuses %j (%s) and writes nothing outside the hub", async (input, code) => {
    const error = await failure(writeHubFile(hub, { path: input, content: "pwned\n" }));
    expect(error.code).toBe(code);
    expect(await readdir(outside())).toEqual(["secret.md"]);
    expect(await readFile(path.join(outside(), "secret.md"), "utf8")).toBe("untouched\n");
  });

  it("refuses content over the limit", async () => {
    const error = await failure(writeHubFile(hub, { path: "knowledge/big.md", content: "x".repeat(256 * 1024 + 1) }));
    expect(error.code).toBe("payload_too_large");
  });
});
