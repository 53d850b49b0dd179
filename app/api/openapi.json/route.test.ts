import { gunzipSync } from "node:zlib";
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

  const get = (headers: Record<string, string> = {}) => GET(new NextRequest("http://localhost/api/openapi.json", { headers }), { params: Promise.resolve({}) });

  it("sends the same bytes gzipped to a client that accepts gzip, encoded once", async () => {
    const plain = await get();
    const plainText = await plain.text();
    expect(plain.headers.get("content-encoding")).toBeNull();
    expect(plain.headers.get("content-length")).toBe(String(Buffer.byteLength(plainText)));
    const zipped = await get({ "accept-encoding": "br, gzip, deflate" });
    expect(zipped.headers.get("content-encoding")).toBe("gzip");
    expect(zipped.headers.get("vary")).toBe("accept-encoding");
    const bytes = Buffer.from(await zipped.arrayBuffer());
    expect(zipped.headers.get("content-length")).toBe(String(bytes.length));
    expect(bytes.length).toBeLessThan(plainText.length / 4);
    expect(gunzipSync(bytes).toString()).toBe(plainText);
  });

  it("answers 304 to a client whose copy is this version, and the document to one with another", async () => {
    const etag = (await get()).headers.get("etag")!;
    expect(etag).toMatch(/^"[A-Za-z0-9_-]{27}"$/);
    for (const ifNoneMatch of [etag, `W/${etag}`, `"old", ${etag}`, "*"]) {
      const res = await get({ "if-none-match": ifNoneMatch });
      expect(res.status, ifNoneMatch).toBe(304);
      expect(await res.text()).toBe("");
      expect(res.headers.get("etag")).toBe(etag);
    }
    const stale = await get({ "if-none-match": '"an-older-version"' });
    expect(stale.status).toBe(200);
    expect((await stale.json()).openapi).toMatch(/^3\.1\./);
  });
});
