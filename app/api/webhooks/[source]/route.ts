import { NextResponse } from "next/server";
import { handle } from "@/lib/http/handler";
import { readRawBody } from "@/lib/events/read-raw-body";
import { receiveWebhook } from "@/lib/events/receive-webhook";

// Public (the proxy lets /api/webhooks/* through): every delivery carries its own HMAC
// signature, checked by receiveWebhook before anything is stored.
export const POST = handle<{ source: string }>({ auth: "public" }, async ({ req, params, requestId }) => {
  const rawBody = await readRawBody(req);
  const result = await receiveWebhook({ sourceName: params.source, rawBody, headers: req.headers, requestId });
  return NextResponse.json(result.body, { status: result.status });
});
