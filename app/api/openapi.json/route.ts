import { getConfig } from "@/lib/config";
import { handle } from "@/lib/http/handler";
import { encodedOpenApiDocument } from "@/lib/openapi/build-document";
import { API_ROUTES } from "./routes.generated";
import { emptyResponse, jsonResponse } from "@/lib/openapi/operations";

// Built, serialised and gzipped on first request (it reads APP_URL), then served from memory, with
// an ETag so a client that has this version gets a 304.
export const dynamic = "force-dynamic";

export const GET = handle({
  auth: "public",
  openapi: {
    operationId: "getOpenApiDocument",
    summary: "This document",
    tags: ["system"],
    responses: {
      "200": jsonResponse("The OpenAPI 3.1 document of this API", { type: "object" }),
      "304": emptyResponse("Not modified: the client's copy (If-None-Match) is this version"),
    },
  },
}, async ({ req }) => {
  const { json, gzipped, etag } = encodedOpenApiDocument(getConfig().APP_URL, API_ROUTES);
  const headers = new Headers({ "content-type": "application/json", "cache-control": "public, max-age=300", etag, vary: "accept-encoding" });
  if (matchesEtag(req.headers.get("if-none-match"), etag)) return new Response(null, { status: 304, headers });
  if (/\bgzip\b/i.test(req.headers.get("accept-encoding") ?? "")) {
    headers.set("content-encoding", "gzip");
    headers.set("content-length", String(gzipped.length));
    return new Response(new Uint8Array(gzipped), { headers });
  }
  headers.set("content-length", String(json.length));
  return new Response(new Uint8Array(json), { headers });
});

/** If-None-Match: "*" or a list of tags, weak (W/"…") ones compared by their value. */
function matchesEtag(ifNoneMatch: string | null, etag: string): boolean {
  if (!ifNoneMatch) return false;
  return ifNoneMatch.split(",").some((tag) => {
    const value = tag.trim();
    return value === "*" || value.replace(/^W\//, "") === etag;
  });
}
