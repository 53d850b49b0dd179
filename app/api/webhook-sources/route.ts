import { NextResponse } from "next/server";
import { handle } from "@/lib/http/handler";
import { createSourceInput, createWebhookSource, listWebhookSources } from "@/lib/events/manage-sources";

export const GET = handle({ auth: "session", allow: "activity.view" }, async () => ({ sources: await listWebhookSources() }));

/** 201 with the source and its signing secret — the only time the secret is returned. */
export const POST = handle({ auth: "session", allow: "settings.manage" }, async ({ body }) =>
  NextResponse.json(await createWebhookSource(await body(createSourceInput)), { status: 201 }),
);
