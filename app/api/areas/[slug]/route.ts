import { z } from "zod";
import { deleteArea, getAreaWithSpend, updateArea } from "@/lib/chat/areas";
import { handle } from "@/lib/http/handler";
import { areaDeletedSchema, areaDetailSchema, areaResponseSchema, areaSlug } from "@/lib/chat/api-schemas";
import { errorResponse, jsonBody, jsonResponse } from "@/lib/openapi/operations";
import { updateAreaInput } from "@/lib/chat/area-input";

type Params = { slug: string };

export const GET = handle<Params>({
  auth: "session",
  allow: "chat.use",
  openapi: {
    operationId: "getArea",
    summary: "Get an area with what it spent today",
    tags: ["assistants"],
    parameters: [areaSlug],
    responses: { "200": jsonResponse("The area", areaDetailSchema), "404": "NotFound" },
  },
}, async ({ params }) => ({ area: await getAreaWithSpend(params.slug) }));

export const PATCH = handle<Params>({
  auth: "session",
  allow: "settings.manage",
  openapi: {
    operationId: "updateArea",
    summary: "Change some of an area's fields",
    description: "Fields left out keep their value; a list of pipelines replaces the old one.",
    tags: ["assistants"],
    parameters: [areaSlug],
    requestBody: jsonBody(updateAreaInput),
    responses: { "200": jsonResponse("The area", areaResponseSchema), "400": "BadRequest", "404": "NotFound" },
  },
}, async ({ params, body }) => ({
  area: await updateArea(params.slug, await body(z.unknown())),
}));

export const DELETE = handle<Params>({
  auth: "session",
  allow: "settings.manage",
  openapi: {
    operationId: "deleteArea",
    summary: "Delete an area that has no conversations",
    tags: ["assistants"],
    parameters: [areaSlug],
    responses: {
      "200": jsonResponse("Deleted", areaDeletedSchema),
      "404": "NotFound",
      "409": errorResponse("The area still has conversations; delete them first"),
    },
  },
}, async ({ params }) => {
  await deleteArea(params.slug);
  return { deleted: { slug: params.slug } };
});
