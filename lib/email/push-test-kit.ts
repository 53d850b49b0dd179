import { randomInt, randomUUID } from "node:crypto";
import type { IdTokenClaims } from "@/tests/fakes/google-oidc";

// Shared by the Gmail push tests: the settings a push subscription is configured with, the claims
// of the token Pub/Sub sends, and the envelope it posts.

export const PUSH_AUDIENCE = "https://assistant.example.com/api/gmail/push";
export const PUSH_SERVICE_ACCOUNT = "gmail-push@example-project.iam.gserviceaccount.com";

/** Settings for envForFile/withEnv: push configured against the fake's certificates. */
export const pushEnv = (certsUrl: string) => ({
  GMAIL_PUSH_AUDIENCE: PUSH_AUDIENCE,
  GMAIL_PUSH_SERVICE_ACCOUNT: PUSH_SERVICE_ACCOUNT,
  GOOGLE_OIDC_CERTS_URL: certsUrl,
});

/** The claims of a genuine push token, as Google issues them for the subscription's service account. */
export function pushClaims(overrides: IdTokenClaims = {}): IdTokenClaims {
  return {
    aud: PUSH_AUDIENCE,
    azp: "112233445566778899000",
    email: PUSH_SERVICE_ACCOUNT,
    email_verified: true,
    sub: "112233445566778899000",
    ...overrides,
  };
}

/** A Pub/Sub push body carrying Gmail's `{ emailAddress, historyId }`. */
export function pushBody(
  notification: { emailAddress: string; historyId: number | string },
  options: { messageId?: string; publishTime?: string } = {},
): string {
  const messageId = options.messageId ?? String(randomInt(2 ** 47)) // Pub/Sub ids are decimal strings;
  const publishTime = options.publishTime ?? new Date().toISOString();
  return JSON.stringify({
    message: {
      data: Buffer.from(JSON.stringify(notification)).toString("base64"),
      messageId,
      message_id: messageId,
      publishTime,
      publish_time: publishTime,
    },
    subscription: `projects/example-project/subscriptions/gmail-push-${randomUUID().slice(0, 8)}`,
  });
}
