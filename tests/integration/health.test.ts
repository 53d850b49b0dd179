import { NextRequest } from "next/server";
import { afterAll, describe, expect, it } from "vitest";
import { GET } from "@/app/api/health/route";
import { resetConfigForTests } from "@/lib/config";
import { disconnectDb } from "@/lib/db/client";
import { checkHealth } from "@/lib/health";
import packageJson from "@/package.json";
import { freePort } from "../setup/database";

// The health check against the file's own PostgreSQL, then against one that is not there.

const realUrl = process.env.DATABASE_URL!;

async function pointDatabaseAt(url: string): Promise<void> {
  process.env.DATABASE_URL = url;
  resetConfigForTests();
  await disconnectDb();
}

afterAll(() => pointDatabaseAt(realUrl));

function getHealth(): Promise<Response> {
  return GET(new NextRequest("http://localhost/api/health"), { params: Promise.resolve({}) });
}

describe("health", () => {
  it("reports the database up, with its version and latency", async () => {
    const health = await checkHealth();
    expect(health).toMatchObject({
      status: "ok",
      database: { status: "up", embedded: false },
      version: packageJson.version,
    });
    expect(health.database.version).toMatch(/^\d+(\.\d+)?/);
    expect(health.database.latencyMs).toBeGreaterThanOrEqual(0);

    const res = await getHealth();
    expect(res.status).toBe(200);
    expect(res.headers.get("x-request-id")).toMatch(/^req_/);
    expect((await res.json()).database.status).toBe("up");
  });

  it("reports degraded and answers 503 when the database cannot be reached", async () => {
    const port = await freePort();
    await pointDatabaseAt(`postgresql://pa_user:s3cret-pw@127.0.0.1:${port}/pa`);

    const health = await checkHealth();
    expect(health.status).toBe("degraded");
    expect(health.database.status).toBe("down");
    expect(health.database.version).toBeUndefined();

    const res = await getHealth();
    expect(res.status).toBe(503);
    expect(res.headers.get("x-request-id")).toMatch(/^req_/);
    const text = await res.text();
    expect(JSON.parse(text)).toMatchObject({ status: "degraded", database: { status: "down" } });
    // Anyone may call /api/health: it must not hand out where the database is or how to log in.
    for (const detail of ["s3cret-pw", "pa_user", String(port)]) expect(text).not.toContain(detail);
  });

  it("does not reveal the database user when the server refuses it", async () => {
    const url = new URL(realUrl);
    url.username = "no_such_role";
    url.password = "not-the-password";
    await pointDatabaseAt(url.toString());

    const res = await getHealth();

    expect(res.status).toBe(503);
    const text = await res.text();
    expect(text).not.toContain("no_such_role");
    expect(text).not.toContain("not-the-password");
  });

  it("recovers once the database is back", async () => {
    await pointDatabaseAt(realUrl);
    expect((await getHealth()).status).toBe(200);
  });
});
