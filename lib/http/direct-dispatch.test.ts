import { createServer, request as httpRequest, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { gunzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { AppError } from "@/lib/errors";
import { handle, type RouteHandler } from "@/lib/http/handler";
import { directRoutes, installDirectDispatch, matchDirectRoute, MAX_DIRECT_BODY_BYTES, MAX_REDIRECTED_TARGET, MAX_REQUEST_TARGET } from "@/lib/http/direct-dispatch";
import { API_CONTENT_SECURITY_POLICY } from "@/lib/http/security-headers";

// The routes a server answers without Next.js's router: which requests they take (and which they
// leave to Next.js), and what the answers look like on the wire, through a real node:http server
// whose own listener stands in for Next.js.

const item = handle<{ id: string }>({ auth: "public" }, async ({ params, query }) => ({ id: params.id, q: query(z.object({ q: z.string().optional() })).q }));
const claim = handle({ auth: "public" }, async ({ body }) => ({ got: await body(z.object({ n: z.number() })) }));
const big = handle({ auth: "public" }, async () => ({ rows: Array.from({ length: 2_000 }, (_, i) => ({ i, text: "row" })) }));
const failing = handle({ auth: "public" }, async () => {
  throw new AppError("conflict", "Already done");
});
const cookies = handle({ auth: "public" }, async () => {
  const response = new Response(null, { status: 204 });
  response.headers.append("set-cookie", "a=1; Path=/");
  response.headers.append("set-cookie", "b=2; Path=/");
  return response;
});
const stream = handle({ auth: "public" }, async () => {
  const encoder = new TextEncoder();
  const body = new ReadableStream<Uint8Array>({
    async start(controller) {
      for (const part of ["data: one\n\n", "data: two\n\n"]) {
        controller.enqueue(encoder.encode(part));
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
      controller.close();
    },
  });
  return new Response(body, { headers: { "content-type": "text/event-stream" } });
});
let lastSignal: AbortSignal | null = null;
// Only the signal is kept, as a chat turn does (not through handle(), which holds on to more).
const slow: RouteHandler = Object.assign(
  async (req: Request) => {
    const signal = req.signal;
    lastSignal = signal;
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new TextEncoder().encode("data: first\n\n"));
        signal.addEventListener("abort", () => controller.close());
      },
    });
    return new Response(body, { headers: { "content-type": "text/event-stream" } });
  },
  { contract: { auth: "public" as const } },
);
const session = handle({ auth: "session", allow: "activity.view" }, async () => ({ never: true }));

setFlagsFromString("--expose-gc");
const collectGarbage = runInNewContext("gc") as () => void;

const table = directRoutes([
  { path: "/api/things/{id}", module: { GET: item, DELETE: item } },
  { path: "/api/things/claim", module: { POST: claim } },
  { path: "/api/big", module: { GET: big } },
  { path: "/api/failing", module: { GET: failing } },
  { path: "/api/cookies", module: { POST: cookies } },
  { path: "/api/stream", module: { GET: stream } },
  { path: "/api/session", module: { GET: session } },
  { path: "/api/slow", module: { GET: slow } },
  { path: "/api/plain", module: { GET: async () => new Response("not a handle() route") } },
]);

describe("matchDirectRoute", () => {
  it("prefers a static segment to a parameter, and decodes parameters", () => {
    expect(matchDirectRoute(table, "POST", "/api/things/claim")?.handler).toBe(claim);
    expect(matchDirectRoute(table, "GET", "/api/things/j%C3%A9-1?q=x")).toEqual({ handler: item, params: { id: "jé-1" } });
    // An escaped static name is still that name, as Next.js decodes it.
    expect(matchDirectRoute(table, "POST", "/api/things/%63laim")?.handler).toBe(claim);
  });

  it("leaves to Next.js what it would redirect, normalise, refuse or answer with 405", () => {
    for (const [method, url] of [
      ["GET", "/api/things/claim"], // the static route owns the path: Next.js answers 405
      ["HEAD", "/api/things/1"],
      ["OPTIONS", "/api/things/1"],
      ["GET", "/api/things/1/"],
      ["GET", "/api//things/1"],
      ["GET", "/api/things/a%2Fb"],
      ["GET", "/api/things/%E0%A4%A"],
      ["GET", "/api/things/1?q=%E0%A4%A"],
      ["GET", "/api/things/.."],
      ["GET", "/api/things/%2e%2e"],
      ["GET", "/api/unknown"],
      ["GET", "/api/plain"], // not made with handle()
      ["GET", "http://localhost/api/things/1"],
      ["GET", "/dashboard"],
    ] as const) {
      expect(matchDirectRoute(table, method, url), `${method} ${url}`).toBeNull();
    }
  });
});

describe("installDirectDispatch", () => {
  let server: Server;
  let base: string;
  let uninstall: () => void;
  const nextSaw: string[] = [];

  beforeAll(async () => {
    uninstall = installDirectDispatch(table);
    server = createServer((req, res) => {
      nextSaw.push(`${req.method} ${req.url}`);
      res.end("next");
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    uninstall();
    await new Promise((resolve) => server.close(resolve));
  });

  it("answers a route with its handler: JSON, request id, the API's security headers", async () => {
    const response = await fetch(`${base}/api/things/42?q=hi`, { headers: { "x-request-id": "req-direct-1" } });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ id: "42", q: "hi" });
    expect(response.headers.get("x-request-id")).toBe("req-direct-1");
    expect(response.headers.get("content-security-policy")).toBe(API_CONTENT_SECURITY_POLICY);
    expect(response.headers.get("x-content-type-options")).toBe("nosniff");
    expect(response.headers.get("x-frame-options")).toBe("DENY");
    expect(response.headers.get("cache-control")).toContain("no-store");
    expect(nextSaw).toEqual([]);
  });

  it("reads the body, and validation and app errors keep their status and JSON", async () => {
    const ok = await fetch(`${base}/api/things/claim`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ n: 3 }) });
    expect(await ok.json()).toEqual({ got: { n: 3 } });
    const bad = await fetch(`${base}/api/things/claim`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ n: "x" }) });
    expect(bad.status).toBe(400);
    expect((await bad.json()).error.code).toBe("validation_failed");
    const conflict = await fetch(`${base}/api/failing`);
    expect(conflict.status).toBe(409);
    expect((await conflict.json()).error).toMatchObject({ code: "conflict", message: "Already done" });
  });

  it("refuses a body too large to be valid with 413, before reading all of it", async () => {
    const response = await fetch(`${base}/api/things/claim`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: "x".repeat(MAX_DIRECT_BODY_BYTES + 1),
    });
    expect(response.status).toBe(413);
    expect((await response.json()).error.code).toBe("payload_too_large");
  });

  it("refuses a chunked body that grows too large with 413", async () => {
    const status = await new Promise<number>((resolve, reject) => {
      const req = httpRequest(`${base}/api/things/claim`, { method: "POST", headers: { "content-type": "application/json" } }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on("error", reject);
      const chunk = "y".repeat(256 * 1024);
      let sent = 0;
      const more = () => {
        while (sent <= MAX_DIRECT_BODY_BYTES) {
          sent += chunk.length;
          if (!req.write(chunk)) return void req.once("drain", more);
        }
        req.end();
      };
      more();
    });
    expect(status).toBe(413);
  });

  it("gzips a large answer for a client that accepts it, and not for one that does not", async () => {
    const raw = await new Promise<{ encoding?: string; body: Buffer }>((resolve, reject) => {
      httpRequest(`${base}/api/big`, { headers: { "accept-encoding": "gzip" } }, (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c)).on("end", () => resolve({ encoding: res.headers["content-encoding"], body: Buffer.concat(chunks) }));
      }).on("error", reject).end();
    });
    expect(raw.encoding).toBe("gzip");
    expect(JSON.parse(gunzipSync(raw.body).toString()).rows).toHaveLength(2_000);
    const plain = await fetch(`${base}/api/big`, { headers: { "accept-encoding": "identity" } });
    expect(plain.headers.get("content-encoding")).toBeNull();
    expect((await plain.json()).rows).toHaveLength(2_000);
  });

  it("passes every Set-Cookie, and streams a body without a length chunk by chunk", async () => {
    const response = await fetch(`${base}/api/cookies`, { method: "POST" });
    expect(response.status).toBe(204);
    expect(response.headers.getSetCookie()).toEqual(["a=1; Path=/", "b=2; Path=/"]);
    const events = await fetch(`${base}/api/stream`);
    expect(events.headers.get("content-type")).toBe("text/event-stream");
    expect(await events.text()).toBe("data: one\n\ndata: two\n\n");
  });

  it("aborts the request's signal when the client leaves mid-answer", async () => {
    const leaving = new AbortController();
    const response = await fetch(`${base}/api/slow`, { signal: leaving.signal });
    const reader = response.body!.getReader();
    expect(new TextDecoder().decode((await reader.read()).value)).toBe("data: first\n\n");
    expect(lastSignal?.aborted).toBe(false);
    // Garbage collection between the answer's start and the client leaving must not cut the link.
    collectGarbage();
    await new Promise((resolve) => setTimeout(resolve, 10));
    collectGarbage();
    leaving.abort();
    await expect.poll(() => lastSignal?.aborted, { timeout: 2_000 }).toBe(true);
    expect((lastSignal?.reason as Error).name).toBe("AbortError");
  });

  it("checks a session route's cookie itself (no Next.js request scope needed)", async () => {
    const response = await fetch(`${base}/api/session`);
    expect(response.status).toBe(401);
    expect((await response.json()).error.code).toBe("unauthorized");
  });

  it("hands everything else to the server's own listener", async () => {
    nextSaw.length = 0;
    expect(await (await fetch(`${base}/api/things/1/`)).text()).toBe("next");
    expect(await (await fetch(`${base}/api/things/claim`)).text()).toBe("next");
    expect(await (await fetch(`${base}/sign-in`)).text()).toBe("next");
    expect(nextSaw).toEqual(["GET /api/things/1/", "GET /api/things/claim", "GET /sign-in"]);
  });

  it("refuses an over-long request target with 414 before Next.js sees it, also with no direct routes", async () => {
    nextSaw.length = 0;
    const long = (path: string, length: number) => `${path}?q=${"x".repeat(length - path.length - 3)}`;
    const refused = async (target: string) => {
      const response = await fetch(`${base}${target}`);
      expect(response.status, target.slice(0, 60)).toBe(414);
      expect((await response.json()).error.code).toBe("uri_too_long");
      expect(response.headers.get("content-security-policy")).toBe(API_CONTENT_SECURITY_POLICY);
    };
    // Exactly at the limits: passed on as usual.
    expect(await (await fetch(`${base}${long("/sign-in", MAX_REQUEST_TARGET)}`)).text()).toBe("next");
    expect(await (await fetch(`${base}${long("/api/things//1", MAX_REDIRECTED_TARGET)}`)).text()).toBe("next");
    for (const path of ["/sign-in", "/api/things/1"]) await refused(long(path, MAX_REQUEST_TARGET + 1));
    // Paths Next.js would redirect (echoing the target into its headers) have the lower limit.
    for (const path of ["/api/webhook-sources//subscriptions", "/api/things/1/"]) await refused(long(path, MAX_REDIRECTED_TARGET + 1));
    installDirectDispatch({ routes: [] });
    try {
      await refused(long("/api/things/1", MAX_REQUEST_TARGET + 1));
    } finally {
      installDirectDispatch(table);
    }
    expect(nextSaw).toHaveLength(2);
  });

  it("is undone by its uninstall, and a second install only replaces the table", async () => {
    const again = installDirectDispatch(directRoutes([]));
    expect(again).toBe(uninstall);
    nextSaw.length = 0;
    expect(await (await fetch(`${base}/api/things/1`)).text()).toBe("next");
    installDirectDispatch(table);
    expect((await (await fetch(`${base}/api/things/1`)).json()).id).toBe("1");
  });
});
