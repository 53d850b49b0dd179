import { NextRequest } from "next/server";

// Calling a route handler in-process, as Next would: a NextRequest in, the Response's status,
// headers, text and parsed JSON out (JSON.parse's untyped value, for terse assertions).

export type RouteHandler = (req: NextRequest, ctx: { params: Promise<Record<string, string>> }) => Promise<Response>;

export type RouteCall = { params?: Record<string, string>; method?: string; body?: unknown; headers?: Record<string, string> };

export async function callRoute(handler: RouteHandler, url: string, call: RouteCall = {}) {
  const req = new NextRequest(new URL(url, "http://localhost"), {
    method: call.method ?? "GET",
    headers: { ...(call.body === undefined ? {} : { "content-type": "application/json" }), ...call.headers },
    body: call.body === undefined ? undefined : JSON.stringify(call.body),
  });
  const res = await handler(req, { params: Promise.resolve(call.params ?? {}) });
  const text = await res.text();
  return { status: res.status, headers: res.headers, text, json: text ? JSON.parse(text) : null };
}
