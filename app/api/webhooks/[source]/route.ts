import { NextResponse } from "next/server";
import { handle } from "@/lib/http/handler";
import { readRawBody } from "@/lib/events/read-raw-body";
import { receiveWebhook } from "@/lib/events/receive-webhook";
import { recordWebhookReceived } from "@/lib/observability/observe";

// Public (the proxy lets /api/webhooks/* through): every delivery carries its own HMAC
// signature, checked by receiveWebhook before anything is stored.
export const POST = handle<{ source: string }>({ auth: "public" }, async ({ req, params, requestId }) => {
  const rawBody = await readRawBody(req);
  const result = await receiveWebhook({ sourceName: params.source, rawBody, headers: req.headers, requestId });
  // Counted once verified (the source exists); a rejected delivery is a 4xx in pa_http_requests_total.
  recordWebhookReceived(params.source, "duplicate" in result.body ? "duplicate" : result.body.status);
  return NextResponse.json(result.body, { status: result.status });
});
