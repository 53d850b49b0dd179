import { createHash } from "node:crypto";
import { z } from "zod";
import { getConfig } from "@/lib/config";
import { AppError } from "@/lib/errors";
import { standardHeaders } from "@/lib/events/standard-signature";
import { definePipeline } from "@/lib/pipelines/define";

// Sends the owner a notification through the webhook they configured (NOTIFY_WEBHOOK_URL): an ntfy
// topic, a Slack or Discord incoming webhook, or any endpoint that takes a JSON POST. It reaches
// the outside world, so assistants ask before they run it.

const DELIVERY_TIMEOUT_MS = 10_000;

export const notifySend = definePipeline({
  name: "notify.send",
  title: "Send a notification",
  description:
    "Sends the owner a short notification (title and message) to the webhook configured in NOTIFY_WEBHOOK_URL. " +
    "The body is JSON with title, message, priority, and text (for Slack) and content (for Discord) set to the same words.",
  input: z.object({
    title: z.string().trim().min(1).max(200),
    message: z.string().trim().min(1).max(4000),
    priority: z.enum(["low", "normal", "high"]).default("normal"),
  }),
  output: z.object({
    delivered: z.literal(true),
    status: z.number().int(),
  }),
  areas: ["*"],
  sideEffects: "external",
  timeoutMs: 15_000,
  async run(input, ctx) {
    const url = getConfig().NOTIFY_WEBHOOK_URL;
    if (!url) throw new AppError("conflict", "Notifications are not configured: set NOTIFY_WEBHOOK_URL to a webhook that accepts a JSON POST");
    const words = `${input.title}\n${input.message}`;
    // The delivery id is the work key when there is one (the same on a retry after a crash, which
    // cannot know whether the first attempt's POST arrived), else the run id: a receiver that
    // drops repeated ids gets each notification once.
    const deliveryId = ctx.workKey ? `ntf_${createHash("sha256").update(ctx.workKey).digest("hex").slice(0, 32)}` : ctx.runId;
    const body = JSON.stringify({ ...input, text: words, content: words, runId: ctx.runId, deliveryId });
    // Signed like the webhooks we receive.
    const secret = getConfig().NOTIFY_WEBHOOK_SECRET;
    const response = await fetch(url, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        "user-agent": "personal-automations",
        "idempotency-key": deliveryId,
        ...(secret ? standardHeaders(secret, deliveryId, body) : { "webhook-id": deliveryId }),
      },
      body,
      signal: AbortSignal.any([ctx.signal, AbortSignal.timeout(DELIVERY_TIMEOUT_MS)]),
    }).catch((error: unknown) => {
      throw new AppError("bad_gateway", `The notification webhook could not be reached: ${error instanceof Error ? error.message : "network error"}`);
    });
    if (!response.ok) throw new AppError("bad_gateway", `The notification webhook answered ${response.status}`);
    return { delivered: true as const, status: response.status };
  },
});
