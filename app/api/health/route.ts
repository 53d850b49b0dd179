import { NextResponse } from "next/server";
import { checkHealth } from "@/lib/health";
import { handle } from "@/lib/http/handler";

export const dynamic = "force-dynamic";

export const GET = handle({ auth: "public" }, async () => {
  const health = await checkHealth();
  return NextResponse.json(health, { status: health.status === "ok" ? 200 : 503 });
});
