import { handle } from "@/lib/http/handler";
import { AppError } from "@/lib/errors";

// Any /api/ address no route matches: a JSON 404 like every other API error, never the HTML 404
// page. Public on purpose: the front door (proxy.ts) has already answered 401 to callers without a
// session on protected prefixes, and saying "no such endpoint" reveals nothing a route list would not.

const notFound = handle({ auth: "public" }, async ({ req }) => {
  throw new AppError("not_found", `There is no API endpoint ${req.method} ${req.nextUrl.pathname}. The API is described at /api/openapi.json.`);
});

export const GET = notFound;
export const POST = notFound;
export const PUT = notFound;
export const PATCH = notFound;
export const DELETE = notFound;
export const HEAD = notFound;
export const OPTIONS = notFound;
