import { NextResponse } from "next/server";
import { z } from "zod";
import { createArea, listAreas } from "@/lib/chat/areas";
import { handle } from "@/lib/http/handler";

export const GET = handle({ auth: "session", allow: "chat.use" }, async () => ({ areas: await listAreas() }));

// The body is read as unknown; createArea validates it and reports every field at once.
export const POST = handle({ auth: "session", allow: "settings.manage" }, async ({ body }) => {
  const area = await createArea(await body(z.unknown()));
  return NextResponse.json({ area }, { status: 201, headers: { location: `/api/areas/${area.slug}` } });
});
