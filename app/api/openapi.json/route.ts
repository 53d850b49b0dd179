import { NextResponse } from "next/server";
import { getConfig } from "@/lib/config";
import { handle } from "@/lib/http/handler";
import { getOpenApiDocument } from "@/lib/openapi/build-document";
import { API_ROUTES } from "./routes.generated";
import { jsonResponse } from "@/lib/openapi/operations";

// Built on first request (it reads APP_URL), then served from memory.
export const dynamic = "force-dynamic";

export const GET = handle({
  auth: "public",
  openapi: {
    operationId: "getOpenApiDocument",
    summary: "This document",
    tags: ["system"],
    responses: {
      "200": jsonResponse("The OpenAPI 3.1 document of this API", { type: "object" }),
    },
  },
}, async () =>
  NextResponse.json(getOpenApiDocument(getConfig().APP_URL, API_ROUTES), { headers: { "cache-control": "public, max-age=300" } }),
);
