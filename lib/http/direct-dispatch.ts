import { Server, type IncomingMessage, type ServerResponse } from "node:http";
import { promisify } from "node:util";
import { gzip } from "node:zlib";
import { NextRequest } from "next/server";
import { AppError } from "@/lib/errors";
import { errorResponse, GZIP_FROM_BYTES, MAX_JSON_BYTES, REQUEST_ID_HEADER, type RouteHandler } from "@/lib/http/handler";
import { getLogger } from "@/lib/logger";
import { resolveRequestId } from "@/lib/request-context";
import { API_CONTENT_SECURITY_POLICY, SECURITY_HEADERS } from "@/lib/http/security-headers";

// API requests answered by their route handlers without Next.js's router in between.
//
// Next.js spends about a millisecond of CPU on each request before a route handler runs (its
// router, the route module's wrapper, request and response adapters through web streams) and
// more writing the answer: several times what a claim or a health check costs itself. Every API
// route goes through handle() (lib/http/handler.ts), which already does everything a route needs:
// request id, auth (agent tokens, sessions from the request's own cookies), permission, same-origin
// check, storable input, validation, error mapping, logging, metrics and the request's span. So
// for a request that exactly names a handle() route and method, the server's "request" event is
// answered here by that same exported handler, with the headers next.config.ts gives API answers.
// Anything else (pages, next-auth, HEAD and OPTIONS, unknown paths and methods, paths Next.js
// would redirect or normalise: a trailing slash, "//", an encoded "/", undecodable escapes) goes
// to Next.js untouched. DIRECT_API=off turns this off (everything through Next.js, as before).
// Either way an over-long request target gets a 414 here, before Next.js (see MAX_REQUEST_TARGET).

type Method = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
const METHODS: ReadonlySet<string> = new Set<Method>(["GET", "POST", "PUT", "PATCH", "DELETE"]);

/** A route module as the generated route index lists it: its OpenAPI path and its exports. */
export type RouteModule = { path: string; module: Record<string, unknown> };

type Segment = { name: string } | string;
type DirectRoute = { segments: Segment[]; handlers: Map<string, RouteHandler>; rank: string };
export type DirectRoutes = { routes: DirectRoute[] };

const isRouteHandler = (value: unknown): value is RouteHandler => typeof value === "function" && "contract" in value;

/** The routes this can answer: every handle() export of every listed module. */
export function directRoutes(modules: RouteModule[]): DirectRoutes {
  const routes: DirectRoute[] = [];
  for (const { path, module } of modules) {
    const handlers = new Map<string, RouteHandler>();
    for (const method of METHODS) if (isRouteHandler(module[method])) handlers.set(method, module[method]);
    if (handlers.size === 0) continue;
    const segments = path.split("/").slice(1).map((part): Segment => (/^\{[^}]+\}$/.test(part) ? { name: part.slice(1, -1) } : part));
    // Next.js prefers a static segment to a dynamic one at the first place they differ.
    const rank = segments.map((s) => (typeof s === "string" ? "1" : "0")).join("");
    routes.push({ segments, handlers, rank });
  }
  routes.sort((a, b) => (a.rank < b.rank ? 1 : a.rank > b.rank ? -1 : 0));
  return { routes };
}

const SEGMENT = /^[A-Za-z0-9\-._~%!$&'()*+,;=:@]+$/;

/** Decodes a path's segments, or null where Next.js would redirect, normalise or refuse it. */
function pathSegments(pathname: string): string[] | null {
  if (!pathname.startsWith("/api/") || pathname.endsWith("/")) return null;
  const raw = pathname.slice(1).split("/");
  const decoded: string[] = [];
  for (const part of raw) {
    if (!SEGMENT.test(part) || part === "." || part === "..") return null;
    let value: string;
    try {
      value = decodeURIComponent(part);
    } catch {
      return null;
    }
    if (value.includes("/") || value.includes("\\") || value === "." || value === "..") return null;
    decoded.push(value);
  }
  return decoded;
}

/** The handler and path parameters for a request, or null when Next.js should answer it. */
export function matchDirectRoute(table: DirectRoutes, method: string, url: string): { handler: RouteHandler; params: Record<string, string> } | null {
  if (!METHODS.has(method) || !url.startsWith("/api/")) return null;
  const queryAt = url.indexOf("?");
  const pathname = queryAt === -1 ? url : url.slice(0, queryAt);
  if (queryAt !== -1 && !decodableQuery(url.slice(queryAt + 1))) return null;
  const segments = pathSegments(pathname);
  if (!segments) return null;
  for (const route of table.routes) {
    if (route.segments.length !== segments.length) continue;
    const params: Record<string, string> = {};
    let matches = true;
    for (let i = 0; i < segments.length && matches; i++) {
      const want = route.segments[i]!;
      if (typeof want === "string") matches = want === segments[i];
      else params[want.name] = segments[i]!;
    }
    if (!matches) continue;
    // The most specific route owns the path: a method it lacks is Next.js's 405, not another route's.
    const handler = route.handlers.get(method);
    return handler ? { handler, params } : null;
  }
  return null;
}

/** Broken escapes in a query are the proxy's 400 for people's routes: leave those to Next.js. */
function decodableQuery(query: string): boolean {
  if (!query.includes("%")) return true;
  try {
    decodeURIComponent(query);
    return true;
  } catch {
    return false;
  }
}

/**
 * Bodies larger than this cannot be valid: handle() takes at most MAX_JSON_BYTES characters of JSON,
 * and a character is at most three bytes of UTF-8.
 */
export const MAX_DIRECT_BODY_BYTES = 3 * MAX_JSON_BYTES + 1;
const gzipAsync = promisify(gzip);

class BodyTooLarge extends Error {}

function readBody(req: IncomingMessage): Promise<Buffer | null> {
  const declared = Number(req.headers["content-length"] ?? 0);
  if (declared > MAX_DIRECT_BODY_BYTES) return Promise.reject(new BodyTooLarge());
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_DIRECT_BODY_BYTES) {
        req.removeAllListeners("data");
        reject(new BodyTooLarge());
        return;
      }
      chunks.push(chunk);
    });
    req.once("end", () => resolve(size === 0 ? null : chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size)));
    req.once("error", reject);
  });
}

function requestHeaders(req: IncomingMessage): Headers {
  const headers = new Headers();
  for (const [key, value] of Object.entries(req.headers)) {
    if (value === undefined) continue;
    if (Array.isArray(value)) for (const v of value) headers.append(key, v);
    else headers.set(key, value);
  }
  return headers;
}

function writeSecurityHeaders(res: ServerResponse): void {
  for (const { key, value } of SECURITY_HEADERS) if (!res.hasHeader(key)) res.setHeader(key, value);
  if (!res.hasHeader("content-security-policy")) res.setHeader("content-security-policy", API_CONTENT_SECURITY_POLICY);
}

async function writeResponse(req: IncomingMessage, res: ServerResponse, response: Response): Promise<void> {
  res.statusCode = response.status;
  for (const [key, value] of response.headers) if (key !== "set-cookie") res.setHeader(key, value);
  const cookies = response.headers.getSetCookie();
  if (cookies.length > 0) res.setHeader("set-cookie", cookies);
  writeSecurityHeaders(res);
  if (!response.body || req.method === "HEAD") {
    res.end();
    return;
  }
  if (response.headers.has("content-length")) {
    let body = Buffer.from(await response.arrayBuffer());
    if (body.length >= GZIP_FROM_BYTES && acceptsGzip(req) && !/no-transform/i.test(response.headers.get("cache-control") ?? "") && !response.headers.has("content-encoding")) {
      body = await gzipAsync(body);
      res.setHeader("content-encoding", "gzip");
      res.setHeader("content-length", body.length);
      res.appendHeader("vary", "Accept-Encoding");
    }
    res.end(body);
    return;
  }
  // A stream (server-sent events, a chat turn): each chunk as it comes, until the client leaves.
  const reader = response.body.getReader();
  res.once("close", () => void reader.cancel().catch(() => {}));
  res.flushHeaders();
  for (;;) {
    const { done, value } = await reader.read();
    if (done || res.destroyed) break;
    if (!res.write(value)) await new Promise((resolve) => res.once("drain", resolve).once("close", resolve));
  }
  res.end();
}

const header = (req: IncomingMessage, name: string) => {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] ?? null : value ?? null;
};
const acceptsGzip = (req: IncomingMessage) => /\bgzip\b/i.test(header(req, "accept-encoding") ?? "");

/** Answers one request with `handler`; never throws (a failure is a 500 with a JSON body). */
export async function dispatchDirect(req: IncomingMessage, res: ServerResponse, handler: RouteHandler, params: Record<string, string>): Promise<void> {
  try {
    const body = req.method === "GET" ? null : await readBody(req);
    const url = new URL(req.url!, `http://${req.headers.host ?? "localhost"}`);
    // The request's signal is aborted when the client leaves before the answer is complete (a chat
    // turn stops its model call). It follows `left` only while the request object lives (undici
    // holds the link weakly), so the listener keeps the request until the connection is done with.
    const left = new AbortController();
    const request = new NextRequest(url, { method: req.method, headers: requestHeaders(req), body: body as Uint8Array<ArrayBuffer> | null, signal: left.signal });
    res.once("close", () => {
      // The default reason, an AbortError, is what libraries (the AI SDK) take for "stopped", not failed.
      if (!res.writableFinished) left.abort();
      void request;
    });
    await writeResponse(req, res, await handler(request, { params: Promise.resolve(params) }));
  } catch (error) {
    // handle() maps everything a caller sends; what is left is a body too large to read, or a fault
    // here: the same JSON error answer (and log, and error report) as handle() gives.
    if (res.headersSent) {
      getLogger().error({ err: error, method: req.method }, "direct API dispatch failed mid-answer");
      res.destroy();
      return;
    }
    const requestId = resolveRequestId(header(req, REQUEST_ID_HEADER));
    const tooLarge = error instanceof BodyTooLarge;
    const shown = tooLarge ? new AppError("payload_too_large", "The request body is too large") : error;
    // The rest of a refused body is not read: the connection ends with the answer.
    if (tooLarge) res.setHeader("connection", "close");
    await writeResponse(req, res, errorResponse(shown, requestId, getLogger({ method: req.method }))).catch(() => res.destroy());
  }
}

/**
 * The longest request target (path and query) answered. No page or API call needs more than a few
 * hundred characters. Next.js echoes the target of a path it normalises ("//", a backslash, a
 * trailing slash) into its redirect, twice (Location and Refresh) and percent-encoded, so for those
 * the limit is lower: a longer echo makes the answer's headers bigger than clients read (undici
 * gives up at 16 KB, and the caller sees a dropped connection instead of an answer).
 */
export const MAX_REQUEST_TARGET = 8 * 1024;
export const MAX_REDIRECTED_TARGET = 1024;

/** Whether Next.js answers this target with a redirect to its normalised path. */
function redirectedByNext(url: string): boolean {
  const query = url.indexOf("?");
  const path = query === -1 ? url : url.slice(0, query);
  return /\\|\/\//.test(path) || (path.length > 1 && path.endsWith("/"));
}

function tooLong(url: string): number | null {
  if (url.length > MAX_REQUEST_TARGET) return MAX_REQUEST_TARGET;
  return url.length > MAX_REDIRECTED_TARGET && redirectedByNext(url) ? MAX_REDIRECTED_TARGET : null;
}

/** 414 with the usual JSON error body, for a request target over its limit. */
function refuseLongTarget(req: IncomingMessage, res: ServerResponse, limit: number): void {
  const requestId = resolveRequestId(header(req, REQUEST_ID_HEADER));
  const error = new AppError("uri_too_long", `The request's path and query are longer than ${limit} characters`);
  // Whatever body follows is not read: the connection ends with the answer.
  res.setHeader("connection", "close");
  void writeResponse(req, res, errorResponse(error, requestId, getLogger({ method: req.method }))).catch(() => res.destroy());
}

const INSTALLED = Symbol.for("personal-automations.direct-dispatch");
type Installed = { table: DirectRoutes; uninstall: () => void };

/**
 * From now on, the HTTP server's requests for these routes are answered directly (see the top of
 * this file). Once per process (instrumentation.ts); a second call replaces the table. Returns
 * the way back (tests).
 */
export function installDirectDispatch(table: DirectRoutes): () => void {
  const global = globalThis as { [INSTALLED]?: Installed };
  const current = global[INSTALLED];
  if (current) {
    current.table = table;
    return current.uninstall;
  }
  const emit = Server.prototype.emit;
  const installed: Installed = {
    table,
    uninstall: () => {
      Server.prototype.emit = emit;
      delete global[INSTALLED];
    },
  };
  global[INSTALLED] = installed;
  Server.prototype.emit = function directOrNext(this: Server, event: string | symbol, ...args: unknown[]): boolean {
    if (event === "request") {
      const req = args[0] as IncomingMessage;
      const limit = tooLong(req.url ?? "");
      if (limit !== null) {
        refuseLongTarget(req, args[1] as ServerResponse, limit);
        return true;
      }
      const match = matchDirectRoute(installed.table, req.method ?? "", req.url ?? "");
      if (match) {
        void dispatchDirect(req, args[1] as ServerResponse, match.handler, match.params);
        return true;
      }
    }
    return emit.apply(this, [event, ...args] as Parameters<typeof emit>);
  } as typeof emit;
  return installed.uninstall;
}
