import { NextResponse } from "next/server";
import { getConfig } from "@/lib/config";
import { handle } from "@/lib/http/handler";
import { getOpenApiDocument } from "@/lib/openapi/build-document";

// Built on first request (it reads APP_URL), then served from memory.
export const dynamic = "force-dynamic";

export const GET = handle({ auth: "public" }, async () =>
  NextResponse.json(getOpenApiDocument(getConfig().APP_URL), { headers: { "cache-control": "public, max-age=300" } }),
);
