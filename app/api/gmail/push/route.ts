import { NextResponse } from "next/server";
import { readRawBody } from "@/lib/events/read-raw-body";
import { handle } from "@/lib/http/handler";
import { receivePush } from "@/lib/email/receive-push";

// Public (the proxy lets /api/gmail/push through): Pub/Sub signs every push with a Google OIDC
// token, which receivePush verifies before anything is stored.
export const POST = handle({ auth: "public" }, async ({ req, requestId }) => {
  const rawBody = await readRawBody(req);
  const result = await receivePush({ headers: req.headers, rawBody, requestId });
  return NextResponse.json(result.body, { status: result.status });
});
