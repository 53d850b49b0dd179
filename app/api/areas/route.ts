import { NextResponse } from "next/server";
import { z } from "zod";
import { createArea, listAreas } from "@/lib/chat/areas";
import { handle } from "@/lib/http/handler";
import { areaListSchema, areaResponseSchema } from "@/lib/chat/api-schemas";
import { createAreaInput } from "@/lib/chat/area-input";
import { errorResponse, jsonBody, jsonResponse } from "@/lib/openapi/operations";

export const GET = handle({
  auth: "session",
  allow: "chat.use",
  openapi: {
    operationId: "listAreas",
    summary: "List the areas with what each spent today",
    description: "A fresh install gets four to start from (general, inbox, content, operations) on first use.",
    tags: ["assistants"],
    responses: { "200": jsonResponse("Every area", areaListSchema) },
  },
}, async () => ({ areas: await listAreas() }));

// The body is read as unknown; createArea validates it and reports every field at once.
export const POST = handle({
  auth: "session",
  allow: "settings.manage",
  openapi: {
    operationId: "createArea",
    summary: "Create an area",
    description: "Pipelines must be registered (or \"*\" for all); every problem is reported at once, by field.",
    tags: ["assistants"],
    requestBody: jsonBody(createAreaInput),
    responses: {
      "201": jsonResponse("The area", areaResponseSchema, {
        location: { description: "The area, /api/areas/<slug>", schema: { type: "string" } },
      }),
      "400": "BadRequest",
      "409": errorResponse("An area with this slug exists"),
    },
  },
}, async ({ body }) => {
  const area = await createArea(await body(z.unknown()));
  return NextResponse.json({ area }, { status: 201, headers: { location: `/api/areas/${area.slug}` } });
});
