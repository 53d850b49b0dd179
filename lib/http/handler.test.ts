import { NextRequest, NextResponse } from "next/server";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { z } from "zod";
import { AppError } from "@/lib/errors";
import { handle } from "@/lib/http/handler";

// What the handler logs, captured instead of going to stdout.
const logged = vi.hoisted(() => [] as string[]);
vi.mock("@/lib/logger", async (importOriginal) => {
  const actual = await importOriginal<typeof import("@/lib/logger")>();
  const root = actual.createLogger("info", { write: (line: string) => void logged.push(line) });
  return { ...actual, getLogger: (bindings?: Record<string, unknown>) => (bindings ? root.child(bindings) : root) };
});

beforeEach(() => {
  logged.length = 0;
});

function logEntries(): Record<string, unknown>[] {
  return logged.map((line) => JSON.parse(line));
}

// The session case needs next-auth's getServerSession, which only runs inside a Next request
// scope; it is covered by the HTTP/browser tier against a running server.

type Init = ConstructorParameters<typeof NextRequest>[1];

function call(
  handler: ReturnType<typeof handle>,
  init: Init & { path?: string; params?: Record<string, string> } = {},
): Promise<Response> {
  const { path = "/api/x", params = {}, ...rest } = init;
  return handler(new NextRequest(`http://localhost${path}`, rest), { params: Promise.resolve(params) });
}

function postJson(body: string, headers: Record<string, string> = {}): Init {
  return { method: "POST", body, headers: { "content-type": "application/json", ...headers } };
}

const ok = handle({ auth: "public" }, async () => ({ hello: "world" }));

const createThing = handle({ auth: "public" }, async (ctx) => {
  const input = await ctx.body(
    z.object({ name: z.string().min(1, "is required"), tags: z.array(z.string().max(5, "too long")).default([]) }),
  );
  return NextResponse.json({ created: input }, { status: 201 });
});

describe("handle: request ids", () => {
  it("accepts a well-formed incoming x-request-id and echoes it", async () => {
    const res = await call(ok, { headers: { "x-request-id": "trace-1234abcd" } });
    expect(res.status).toBe(200);
    expect(res.headers.get("x-request-id")).toBe("trace-1234abcd");
  });

  it.each([
    ["missing", undefined],
    ["too short", "abc"],
    ["with spaces", "hello there world"],
    ["markup", "abcdefgh<script>"],
    ["too long", "a".repeat(129)],
  ])("generates a fresh id when the incoming one is %s", async (_label, incoming) => {
    const res = await call(ok, { headers: incoming ? { "x-request-id": incoming } : {} });
    const id = res.headers.get("x-request-id");
    expect(id).toMatch(/^req_[0-9a-f]{32}$/);
  });

  it("gives every request its own id", async () => {
    const [a, b] = await Promise.all([call(ok), call(ok)]);
    expect(a.headers.get("x-request-id")).not.toBe(b.headers.get("x-request-id"));
  });

  it("puts the same id in the header and the body of an error", async () => {
    const failing = handle({ auth: "public" }, async () => {
      throw new AppError("not_found", "No such run");
    });
    const res = await call(failing, { headers: { "x-request-id": "client-chosen-id-42" } });
    expect(res.headers.get("x-request-id")).toBe("client-chosen-id-42");
    expect((await res.json()).requestId).toBe("client-chosen-id-42");
  });
});

describe("handle: results", () => {
  it("answers a plain object as 200 JSON", async () => {
    const res = await call(ok);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("application/json");
    expect(await res.json()).toEqual({ hello: "world" });
  });

  it("answers { ok: true } when the handler returns nothing", async () => {
    const res = await call(handle({ auth: "public" }, async () => undefined));
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ok: true });
  });

  it("passes a Response through with its own status and adds the request id", async () => {
    const res = await call(createThing, postJson(JSON.stringify({ name: "n" })));
    expect(res.status).toBe(201);
    expect(res.headers.get("x-request-id")).toMatch(/^req_/);
    expect(await res.json()).toEqual({ created: { name: "n", tags: [] } });
  });

  it("hands the route params to the handler", async () => {
    const show = handle<{ id: string }>({ auth: "public" }, async (ctx) => ({ id: ctx.params.id }));
    const res = await call(show, { params: { id: "run_01abc" } });
    expect(await res.json()).toEqual({ id: "run_01abc" });
  });
});

describe("handle: body and query validation", () => {
  it("answers 400 validation_failed with the issue paths when the body does not match", async () => {
    const res = await call(createThing, postJson(JSON.stringify({ name: "", tags: ["ok", "far too long"] })));
    expect(res.status).toBe(400);
    const body = await res.json();
    expect(body.error.code).toBe("validation_failed");
    expect(body.error.message).toBe("Request body is invalid (name: is required)");
    expect(body.error.details.issues).toEqual([
      { path: "name", message: "is required" },
      { path: "tags[1]", message: "too long" },
    ]);
    expect(body.requestId).toBe(res.headers.get("x-request-id"));
  });

  it("answers 415 when the body is not sent as JSON", async () => {
    const res = await call(createThing, {
      method: "POST",
      body: "name=n",
      headers: { "content-type": "application/x-www-form-urlencoded" },
    });
    expect(res.status).toBe(415);
    expect((await res.json()).error.code).toBe("unsupported_media_type");
  });

  it("answers 415 when there is no content type at all", async () => {
    const res = await call(createThing, { method: "POST", body: JSON.stringify({ name: "n" }) });
    expect(res.status).toBe(415);
  });

  it("accepts a JSON content type with a charset", async () => {
    const res = await call(
      createThing,
      postJson(JSON.stringify({ name: "n" }), { "content-type": "application/json; charset=utf-8" }),
    );
    expect(res.status).toBe(201);
  });

  it("answers 400 bad_request when the body is not valid JSON", async () => {
    const res = await call(createThing, postJson('{"name": "n",'));
    expect(res.status).toBe(400);
    const body = await res.json();
    expect(body.error).toEqual({ code: "bad_request", message: "The request body is not valid JSON" });
  });

  it("treats an empty body as {} so the schema decides what is missing", async () => {
    const res = await call(createThing, postJson(""));
    expect(res.status).toBe(400);
    expect((await res.json()).error.details.issues).toEqual([{ path: "name", message: expect.any(String) }]);
  });

  it("answers 413 when the body is over the limit", async () => {
    const res = await call(createThing, postJson(JSON.stringify({ name: "x".repeat(1_000_001) })));
    expect(res.status).toBe(413);
    expect((await res.json()).error.code).toBe("payload_too_large");
  });

  it("parses the query string, turning repeated keys into arrays", async () => {
    const list = handle({ auth: "public" }, async (ctx) =>
      ctx.query(
        z.object({
          status: z.array(z.enum(["ok", "failed"])),
          limit: z.coerce.number().int().max(100).default(20),
        }),
      ),
    );
    const res = await call(list, { path: "/api/x?status=ok&status=failed&limit=5" });
    expect(await res.json()).toEqual({ status: ["ok", "failed"], limit: 5 });

    const bad = await call(list, { path: "/api/x?status=ok&status=failed&limit=500" });
    expect(bad.status).toBe(400);
    const body = await bad.json();
    expect(body.error.message).toMatch(/^Query is invalid \(limit: /);
    expect(body.error.details.issues).toEqual([{ path: "limit", message: expect.any(String) }]);
  });
});

describe("handle: errors", () => {
  it.each([
    ["not_found", 404],
    ["conflict", 409],
    ["forbidden", 403],
  ] as const)("maps AppError %s to %i with its message", async (code, status) => {
    const failing = handle({ auth: "public" }, async () => {
      throw new AppError(code, `the ${code} message`, { hint: 1 });
    });
    const res = await call(failing);
    expect(res.status).toBe(status);
    const body = await res.json();
    expect(body).toEqual({
      error: { code, message: `the ${code} message`, details: { hint: 1 } },
      requestId: res.headers.get("x-request-id"),
    });
  });

  it("answers 429 with a retry-after header taken from the error", async () => {
    const limited = handle({ auth: "public" }, async () => {
      throw new AppError("rate_limited", "Too many attempts. Try again in 2 minutes.", { retryAfterSeconds: 120 });
    });
    const res = await call(limited);
    expect(res.status).toBe(429);
    expect(res.headers.get("retry-after")).toBe("120");
    expect((await res.json()).error.message).toBe("Too many attempts. Try again in 2 minutes.");
  });

  it("sends no retry-after on errors other than 429", async () => {
    const res = await call(
      handle({ auth: "public" }, async () => {
        throw new AppError("conflict", "x", { retryAfterSeconds: 120 });
      }),
    );
    expect(res.headers.get("retry-after")).toBeNull();
  });

  it("turns any other error into a generic 500 that does not leak its message", async () => {
    const secret = "password authentication failed for user pa at 10.1.2.3:5432";
    const broken = handle({ auth: "public" }, async () => {
      throw new Error(secret);
    });
    const res = await call(broken);
    expect(res.status).toBe(500);
    const text = await res.text();
    expect(text).not.toContain("10.1.2.3");
    expect(text).not.toContain("password authentication");
    const body = JSON.parse(text);
    expect(body.error.code).toBe("internal");
    expect(body.error.message).toMatch(/request id/i);
    expect(body.error.details).toBeUndefined();
    expect(body.requestId).toBe(res.headers.get("x-request-id"));
  });

  it("logs the hidden error with the request id the client was given, so it can be found", async () => {
    const broken = handle({ auth: "public" }, async () => {
      throw new Error("disk quota exceeded on /var/lib/pa");
    });
    const res = await call(broken, { path: "/api/runs", headers: { "x-request-id": "support-ticket-7781" } });

    expect((await res.json()).requestId).toBe("support-ticket-7781");
    expect(logEntries()).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          level: "error",
          requestId: "support-ticket-7781",
          path: "/api/runs",
          err: expect.objectContaining({ message: "disk quota exceeded on /var/lib/pa" }),
        }),
        expect.objectContaining({ msg: "request", status: 500, requestId: "support-ticket-7781" }),
      ]),
    );
  });

  it("logs one access line per request, and no error for an expected 4xx", async () => {
    await call(
      handle({ auth: "public" }, async () => {
        throw new AppError("not_found", "No such run");
      }),
    );
    expect(logEntries()).toEqual([expect.objectContaining({ level: "info", msg: "request", status: 404 })]);
  });

  it("does not leak non-Error throws either", async () => {
    const res = await call(
      handle({ auth: "public" }, async () => {
        throw { message: "internal-token-abc123" };
      }),
    );
    expect(res.status).toBe(500);
    expect(await res.text()).not.toContain("internal-token-abc123");
  });
});

describe("handle: input PostgreSQL cannot store", () => {
  const byId = handle<{ id: string }>({ auth: "public" }, async (ctx) => ({ id: ctx.params.id }));

  it.each([
    ["a NUL", '{"name":"a\\u0000b"}', 'Request body field "name" contains a NUL character'],
    ["a lone surrogate", '{"name":"\\ud800"}', 'Request body field "name" contains a lone UTF-16 surrogate'],
    ["a NUL in a key", '{"name":"x","tags":[],"\\u0000":1}', "has a key that contains a NUL character"],
    ["5,000 levels of nesting", `{"name":"x","deep":${"[".repeat(5000)}${"]".repeat(5000)}}`, "nested more than 64 levels"],
  ])("refuses %s in the body with a 400 that says where", async (_label, body, message) => {
    const res = await call(createThing, postJson(body));
    expect(res.status).toBe(400);
    expect((await res.json()).error.message).toContain(message);
  });

  it("refuses a NUL or a lone surrogate in a path id or the query", async () => {
    for (const init of [
      { params: { id: "run_\u0000" } },
      { params: { id: "run_\ud800" } },
      { path: "/api/x?status=a%00b" },
    ]) {
      const res = await call(byId, init);
      expect(res.status).toBe(400);
      expect((await res.json()).error.code).toBe("bad_request");
    }
    expect((await call(byId, { params: { id: "run_ok" } })).status).toBe(200);
  });
});

describe("handle: cross-site writes with a session", () => {
  const write = handle({ auth: "session", allow: "settings.manage" }, async () => ({ changed: true }));

  it.each([
    ["Sec-Fetch-Site: cross-site", { "sec-fetch-site": "cross-site" }],
    ["Sec-Fetch-Site: same-site", { "sec-fetch-site": "same-site" }],
    ["a foreign Origin", { origin: "https://evil.example" }],
    ["an opaque Origin", { origin: "null" }],
  ])("refuses %s before looking at the session", async (_label, headers) => {
    const res = await call(write, postJson("{}", headers));
    expect(res.status).toBe(403);
    expect((await res.json()).error.message).toMatch(/^Cross-site request refused/);
  });

  it("refuses a body that only pretends to be JSON (text/plain needs no preflight)", async () => {
    const res = await call(createThing, postJson('{"name":"x"}', { "content-type": "text/plain; application/json" }));
    expect(res.status).toBe(415);
  });

  it("accepts application/json with parameters and +json types", async () => {
    for (const type of ["application/json; charset=utf-8", "application/merge-patch+json"]) {
      const res = await call(createThing, postJson('{"name":"x"}', { "content-type": type }));
      expect(res.status).toBe(201);
    }
  });
});

describe("handle: JSON answers and compression", () => {
  const big = "x".repeat(10_000);

  it("gives a small answer its length and keeps it from being gzipped or stored", async () => {
    const res = await call(ok);
    const text = await res.clone().text();
    expect(res.headers.get("content-length")).toBe(String(Buffer.byteLength(text)));
    expect(res.headers.get("cache-control")).toBe("no-store, no-transform");
    expect(await res.json()).toEqual({ hello: "world" });
  });

  it("does the same for NextResponse.json from a handler, keeping its status and headers", async () => {
    const res = await call(createThing, postJson('{"name":"a"}'));
    expect(res.status).toBe(201);
    expect(res.headers.get("content-length")).toBe(String(Buffer.byteLength(await res.clone().text())));
    expect(await res.json()).toEqual({ created: { name: "a", tags: [] } });
  });

  it("leaves a large answer to compression, and a handler's own caching alone", async () => {
    const large = await call(handle({ auth: "public" }, async () => ({ big })));
    expect(Number(large.headers.get("content-length"))).toBeGreaterThan(10_000);
    expect(large.headers.get("cache-control")).toBeNull();
    const cached = await call(handle({ auth: "public" }, async () => NextResponse.json({ a: 1 }, { headers: { "cache-control": "public, max-age=300" } })));
    expect(cached.headers.get("cache-control")).toBe("public, max-age=300");
  });

  it("gives error answers their length too", async () => {
    const res = await call(createThing, postJson("{}"));
    expect(res.status).toBe(400);
    expect(res.headers.get("content-length")).toBe(String(Buffer.byteLength(await res.clone().text())));
  });
});
