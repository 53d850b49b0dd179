import { NextResponse } from "next/server";
import { handle } from "@/lib/http/handler";
import { getWebhookSource } from "@/lib/events/manage-sources";
import { createSubscriptionInput, createWebhookSubscription } from "@/lib/events/manage-subscriptions";

export const GET = handle<{ name: string }>({ auth: "session", allow: "activity.view" }, async ({ params }) => ({
  subscriptions: (await getWebhookSource(params.name)).subscriptions ?? [],
}));

export const POST = handle<{ name: string }>({ auth: "session", allow: "settings.manage" }, async ({ params, body }) =>
  NextResponse.json({ subscription: await createWebhookSubscription(params.name, await body(createSubscriptionInput)) }, { status: 201 }),
);
