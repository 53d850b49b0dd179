import { NextResponse } from "next/server";
import { checkHealth } from "@/lib/health";
import { handle } from "@/lib/http/handler";
import { healthSchema } from "@/lib/openapi/schemas";
import { jsonResponse } from "@/lib/openapi/operations";

export const dynamic = "force-dynamic";

export const GET = handle({
  auth: "public",
  // Polled by monitors (a Docker health check, Prometheus): counted, never traced.
  traced: false,
  openapi: {
    operationId: "getHealth",
    summary: "Check that the app and its database are up",
    tags: ["system"],
    responses: {
      "200": jsonResponse("The app and its database are up", healthSchema),
      "503": jsonResponse("The database cannot be reached", healthSchema),
    },
  },
}, async () => {
  const health = await checkHealth();
  return NextResponse.json(health, { status: health.status === "ok" ? 200 : 503 });
});
