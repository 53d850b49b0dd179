import type { NextRequest } from "next/server";
import type { Logger } from "pino";
import { z } from "zod";
import { requirePermission, type Permission } from "@/lib/auth/permissions";
import { getSessionUser } from "@/lib/auth/session";
import { AppError, errorBodyFor, isAppError, validationError } from "@/lib/errors";
import { getLogger } from "@/lib/logger";
import { resolveRequestId, runWithRequestContext } from "@/lib/request-context";
import type { PublicUser } from "@/lib/users/repository";
import { captureException } from "@/lib/observability/sentry";
import { observeRequest, routeTemplate } from "@/lib/observability/observe-request";
import { assertStorable } from "@/lib/http/storable-input";
import { assertSameOrigin, isJsonMediaType } from "@/lib/http/same-origin";
import { authenticateAgent } from "@/lib/agents/authenticate";
import type { AgentPrincipal } from "@/lib/agents/principal";
import type { OperationDoc } from "@/lib/openapi/route-doc";

// Every route handler goes through handle(): request id in and out, a scoped logger, auth as an
// option nobody can forget ("public", "session" for people, "agent" for bearer access tokens), for
// people the permission the route needs (lib/auth/permissions.ts), zod-validated body and query,
// and one error → HTTP mapping. The returned handler carries its declaration (`contract`): the
// permission-matrix test reads who may call it, and the OpenAPI document is built from its
// `openapi` part (lib/openapi/route-doc.ts), which every documented route has.

export const REQUEST_ID_HEADER = "x-request-id";
export const MAX_JSON_BYTES = 1_000_000;


/** What a route declares: who may call it, and what it takes and answers (for the OpenAPI document). */
export type RouteContract = ({ auth: "public" } | { auth: "agent" } | { auth: "session"; allow: Permission }) & {
  openapi?: OperationDoc;
  /**
   * false: the route's requests make no traces (still counted in the metrics). For monitors' polls
   * (health checks, Prometheus scrapes): a trace of each says nothing, and they would take the
   * per-second trace budget from real work.
   */
  traced?: false;
};

export type RouteHandler = ((req: NextRequest, args: RouteArgs) => Promise<Response>) & { contract: RouteContract };

export type HandlerContext<Params> = {
  req: NextRequest;
  params: Params;
  requestId: string;
  log: Logger;
  /** Parses the JSON body with `schema`; 400 with field issues when it does not match. */
  body<S extends z.ZodType>(schema: S): Promise<z.infer<S>>;
  /** Parses the query string with `schema` (repeated keys become arrays). */
  query<S extends z.ZodType>(schema: S): z.infer<S>;
};

export type SessionContext<Params> = HandlerContext<Params> & { user: PublicUser };

export type AgentContext<Params> = HandlerContext<Params> & { agent: AgentPrincipal };

type RouteArgs = { params: Promise<Record<string, string | string[]>> };

export function errorResponse(error: unknown, requestId: string, log: Logger): Response {
  const appError = isAppError(error) ? error : null;
  if (!appError) {
    log.error({ err: error }, "unhandled error");
    captureException(error, { requestId });
  } else if (appError.status >= 500) {
    log.error({ err: appError, cause: appError.cause }, appError.message);
  }
  const shown = appError ?? new AppError("internal", "Something went wrong on our side. The request id identifies it in the logs.");
  const headers: Record<string, string> = { [REQUEST_ID_HEADER]: requestId };
  const retryAfter = (shown.details as { retryAfterSeconds?: number } | undefined)?.retryAfterSeconds;
  if (shown.code === "rate_limited" && retryAfter) headers["retry-after"] = String(retryAfter);
  return jsonAnswer(errorBodyFor(shown, requestId), { status: shown.status, headers });
}

async function readJson(req: NextRequest): Promise<unknown> {
  if (!isJsonMediaType(req.headers.get("content-type"))) {
    throw new AppError("unsupported_media_type", "Send the body as JSON with Content-Type: application/json");
  }
  const text = await req.text();
  if (text.length > MAX_JSON_BYTES) throw new AppError("payload_too_large", "The request body is too large");
  if (!text.trim()) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new AppError("bad_request", "The request body is not valid JSON");
  }
  assertStorable(parsed, "Request body");
  return parsed;
}

function queryObject(req: NextRequest): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const key of new Set(req.nextUrl.searchParams.keys())) {
    const values = req.nextUrl.searchParams.getAll(key);
    out[key] = values.length > 1 ? values : values[0]!;
  }
  return out;
}

function buildContext<Params>(req: NextRequest, params: Params, requestId: string, log: Logger): HandlerContext<Params> {
  return {
    req,
    params,
    requestId,
    log,
    async body(schema) {
      const parsed = schema.safeParse(await readJson(req));
      if (!parsed.success) throw validationError(parsed.error, "Request body");
      return parsed.data;
    },
    query(schema) {
      const parsed = schema.safeParse(queryObject(req));
      if (!parsed.success) throw validationError(parsed.error, "Query");
      return parsed.data;
    },
  };
}

/** Below this, a JSON answer goes out as it is (see withLength); from it on, gzipped when the client accepts it. */
export const GZIP_FROM_BYTES = 8 * 1024;

/**
 * Gives a JSON answer its length, and a small one `no-transform` unless it says how to cache: Next.js
 * gzips every answer of 1 KiB or more (and every one whose length it does not know), and a gzip
 * stream per response cost more CPU than the rest of a typical API call, to save a few hundred
 * bytes. Answers of 8 KiB and more (lists, the OpenAPI document) are still compressed. API answers
 * are live data, so a small one is also `no-store`.
 */
function withLength(text: string, headers: Headers): Headers {
  const bytes = Buffer.byteLength(text);
  headers.set("content-length", String(bytes));
  if (bytes < GZIP_FROM_BYTES && !headers.has("cache-control")) headers.set("cache-control", "no-store, no-transform");
  return headers;
}

/** A JSON answer with its length (see withLength). (Not lib/openapi's jsonResponse, which documents one.) */
function jsonAnswer(body: unknown, init: { status?: number; headers?: HeadersInit } = {}): Response {
  const text = JSON.stringify(body);
  const headers = new Headers(init.headers);
  headers.set("content-type", "application/json");
  return new Response(text, { status: init.status ?? 200, headers: withLength(text, headers) });
}

const isJsonWithoutLength = (response: Response) =>
  response.body !== null && !response.headers.has("content-length") && isJsonMediaType(response.headers.get("content-type"));

async function toResponse(result: unknown, requestId: string): Promise<Response> {
  let response: Response;
  if (!(result instanceof Response)) response = jsonAnswer(result ?? { ok: true });
  else if (isJsonWithoutLength(result)) {
    // NextResponse.json(…) from a handler: the same answer, with its length.
    const text = await result.text();
    response = new Response(text, { status: result.status, statusText: result.statusText, headers: withLength(text, new Headers(result.headers)) });
  } else response = result;
  response.headers.set(REQUEST_ID_HEADER, requestId);
  return response;
}

type Handler<Ctx> = (ctx: Ctx) => Promise<unknown>;

export function handle<Params = Record<string, string>>(options: { auth: "public"; openapi?: OperationDoc; traced?: false }, fn: Handler<HandlerContext<Params>>): RouteHandler;
export function handle<Params = Record<string, string>>(options: { auth: "session"; allow: Permission; openapi?: OperationDoc }, fn: Handler<SessionContext<Params>>): RouteHandler;
export function handle<Params = Record<string, string>>(options: { auth: "agent"; openapi?: OperationDoc }, fn: Handler<AgentContext<Params>>): RouteHandler;
export function handle<Params>(
  options: RouteContract,
  fn: Handler<HandlerContext<Params>> | Handler<SessionContext<Params>> | Handler<AgentContext<Params>>,
): RouteHandler {
  const handler = async (req: NextRequest, args: RouteArgs): Promise<Response> => {
    const requestId = resolveRequestId(req.headers.get(REQUEST_ID_HEADER));
    return runWithRequestContext({ requestId }, () => observeRequest(req.method, requestId, req.headers, options.traced !== false, async (observation) => {
      const started = performance.now();
      const log = getLogger({ method: req.method, path: req.nextUrl.pathname });
      let response: Response;
      let params = {} as Params;
      try {
        params = ((await args?.params) ?? {}) as Params;
        // Path ids and the query reach SQL; refuse what PostgreSQL cannot store before anything runs.
        assertStorable(params, "Path");
        assertStorable(queryObject(req), "Query");
        const ctx = buildContext(req, params, requestId, log);
        if (options.auth === "agent") {
          // Bearer access token; lib/agents/authenticate.ts checks hash, expiry, revocation, agent state.
          const agent = await authenticateAgent(req.headers.get("authorization"), requestId);
          response = await toResponse(await (fn as Handler<AgentContext<Params>>)({ ...ctx, agent }), requestId);
          // Job inputs (email excerpts among them) are nobody's to keep, and agents mostly run next
          // to the app: gzipping a claim's few KiB cost more CPU than the rest of the call.
          if (!response.headers.has("cache-control")) response.headers.set("cache-control", "no-store, no-transform");
        } else if (options.auth === "session") {
          assertSameOrigin(req.method, req.headers);
          const user = await getSessionUser(req.cookies);
          if (!user) throw new AppError("unauthorized", "Sign in to use this endpoint");
          requirePermission(user, options.allow);
          response = await toResponse(await (fn as Handler<SessionContext<Params>>)({ ...ctx, user }), requestId);
        } else {
          response = await toResponse(await (fn as Handler<HandlerContext<Params>>)(ctx), requestId);
        }
      } catch (error) {
        response = errorResponse(error, requestId, log);
      }
      log.info({ status: response.status, ms: Math.round(performance.now() - started) }, "request");
      observation.finish(routeTemplate(req.nextUrl.pathname, params as Record<string, unknown>), response.status);
      return response;
    }));
  };
  return Object.assign(handler, { contract: options });
}
