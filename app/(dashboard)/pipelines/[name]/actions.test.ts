import { beforeAll, describe, expect, it, vi } from "vitest";
import type { PublicUser } from "@/lib/users/repository";
import { createUser } from "@/lib/users/service";
import { getDb } from "@/lib/db/client";

let signedIn: PublicUser | null = null;
vi.mock("@/lib/auth/session", () => ({ getSessionUser: async () => signedIn }));

const { runPipelineAction } = await import("./actions");

beforeAll(async () => {
  signedIn = (await createUser({ email: "runner@example.com", role: "owner" })).user;
});

describe("runPipelineAction (the dashboard's Run button)", () => {
  it("runs once per idempotency key: a retry of an unanswered submission gets the first run back", async () => {
    const first = await runPipelineAction("system.echo", { message: "once" }, "dashboard-key-1");
    const retry = await runPipelineAction("system.echo", { message: "once" }, "dashboard-key-1");
    const next = await runPipelineAction("system.echo", { message: "once" }, "dashboard-key-2");
    expect(first.status).toBe("started");
    if (first.status !== "started" || retry.status !== "started" || next.status !== "started") throw new Error("not started");
    expect(retry.run.id).toBe(first.run.id);
    expect(next.run.id).not.toBe(first.run.id);
    expect(await getDb().pipelineRun.count({ where: { pipeline: "system.echo", idempotencyKey: { in: ["dashboard-key-1", "dashboard-key-2"] } } })).toBe(2);
  });

  it("refuses a key it cannot store, and runs nothing", async () => {
    const before = await getDb().pipelineRun.count();
    const answer = await runPipelineAction("system.echo", {}, "k".repeat(201));
    expect(answer).toMatchObject({ status: "invalid", message: "The idempotency key must be 1 to 200 characters." });
    expect(await getDb().pipelineRun.count()).toBe(before);
  });
});
