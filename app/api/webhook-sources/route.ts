import { NextResponse } from "next/server";
import { handle } from "@/lib/http/handler";
import { createSourceInput, createWebhookSource, listWebhookSources } from "@/lib/events/manage-sources";
import { jsonBody, jsonResponse } from "@/lib/openapi/operations";
import { sourceListSchema, sourceWithSecretSchema } from "@/lib/events/api-schemas";

export const GET = handle({
  auth: "session",
  allow: "activity.view",
  openapi: {
    operationId: "listWebhookSources",
    summary: "List webhook sources with their subscriptions",
    tags: ["webhooks"],
    responses: { "200": jsonResponse("Every source", sourceListSchema) },
  },
}, async () => ({ sources: await listWebhookSources() }));

/** 201 with the source and its signing secret — the only time the secret is returned. */
export const POST = handle({
  auth: "session",
  allow: "settings.manage",
  openapi: {
    operationId: "createWebhookSource",
    summary: "Create a webhook source",
    description: "Answers with its signing secret: the only time it is shown.",
    tags: ["webhooks"],
    requestBody: jsonBody(createSourceInput),
    responses: { "201": jsonResponse("The source and its secret", sourceWithSecretSchema), "400": "BadRequest", "409": "Conflict" },
  },
}, async ({ body }) =>
  NextResponse.json(await createWebhookSource(await body(createSourceInput)), { status: 201 }),
);
