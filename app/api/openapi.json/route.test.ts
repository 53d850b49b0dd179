import { NextRequest } from "next/server";
import { describe, expect, it } from "vitest";
import { getConfig } from "@/lib/config";
import { GET } from "./route";

describe("GET /api/openapi.json", () => {
  it("serves the document for this instance's APP_URL, with a request id", async () => {
    const res = await GET(new NextRequest("http://localhost/api/openapi.json", { headers: { "x-request-id": "openapi-test-1" } }), {
      params: Promise.resolve({}),
    });
    expect(res.status).toBe(200);
    expect(res.headers.get("x-request-id")).toBe("openapi-test-1");
    expect(res.headers.get("content-type")).toContain("application/json");
    const body = await res.json();
    expect(body.openapi).toMatch(/^3\.1\./);
    expect(body.servers[0].url).toBe(getConfig().APP_URL);
    expect(Object.keys(body.paths)).toContain("/api/pipelines/{name}/runs");
  });
});
