import { z } from "zod";
import type { listAccounts } from "@/lib/email/accounts";
import { emailAccountDtoSchema } from "@/lib/email/accounts";
import { callbackQuery, connectQuery } from "@/lib/email/connect-flow";
import { REQUEST_ID_HEADER } from "@/lib/http/handler";
import type { SchemaComponents } from "@/lib/openapi/json-schema";
import { jsonBody, jsonResponse, operation, pathParameter, queryParameters, ref } from "@/lib/openapi/operations";
import type { Exactly, Expect, PathItem, Returned } from "@/lib/openapi/types";

// Connected Gmail accounts: connecting one is two browser navigations (to Google's consent screen
// and back), so those two operations answer redirects, not JSON.

const accountListSchema = z.object({
  accounts: z.array(emailAccountDtoSchema).describe("By address; never any token"),
  googleConfigured: z.boolean().describe("True when GOOGLE_CLIENT_ID and GOOGLE_CLIENT_SECRET are set, i.e. an account can be connected"),
});
const accountResponseSchema = z.object({ account: emailAccountDtoSchema });
const pushAnswerSchema = z.object({
  notificationId: z.string().describe("gpn_…"),
  status: z.enum(["received", "ignored", "processed", "failed"]),
  duplicate: z.literal(true).optional().describe("Set when this Pub/Sub message id was received before; nothing is dispatched again"),
  requestId: z.string(),
});

export type _EmailShapeChecks = [Expect<Exactly<z.infer<typeof accountListSchema>["accounts"], Returned<typeof listAccounts>>>];

const redirect = (description: string, target: string) => ({
  description,
  headers: { [REQUEST_ID_HEADER]: ref("headers", "RequestId"), location: { description: target, schema: { type: "string" } } },
});

export function buildEmailPaths(schemas: SchemaComponents): Record<string, PathItem> {
  const accountId = pathParameter("id", "The account's id (eml_…)", { type: "string" });
  const account = jsonResponse("The account", schemas.convert(accountResponseSchema, "output"));
  const notFound = ref("responses", "NotFound");

  return {
    "/api/email/accounts": {
      get: operation("session", {
        operationId: "listEmailAccounts",
        summary: "List connected Gmail accounts (without their tokens)",
        tags: ["email"],
        responses: { "200": jsonResponse("The accounts", schemas.convert(accountListSchema, "output")) },
      }),
    },
    "/api/email/accounts/{id}": {
      get: operation("session", {
        operationId: "getEmailAccount",
        summary: "Get one Gmail account (without its tokens)",
        tags: ["email"],
        parameters: [accountId],
        responses: { "200": account, "404": notFound },
      }),
      delete: operation("session", {
        operationId: "disconnectEmailAccount",
        summary: "Disconnect a Gmail account: stop push, revoke the grant at Google, delete the tokens",
        description: "The tokens are deleted even when Google does not confirm the revocation (that is logged). The account stays, disconnected, with its history.",
        tags: ["email"],
        parameters: [accountId],
        responses: { "200": account, "404": notFound },
      }),
    },
    "/api/email/connect": {
      get: operation("session", {
        operationId: "connectGmail",
        summary: "Start connecting a Gmail account (a browser navigation)",
        description:
          "Redirects to Google's consent screen for the gmail.modify scope, with a random `state` and a signed, httpOnly " +
          "cookie (`pa_gmail_oauth`, 10 minutes) that the callback checks.",
        tags: ["email"],
        parameters: queryParameters(schemas, connectQuery),
        responses: {
          "302": redirect("To Google's consent screen", "Google's consent URL"),
          "400": ref("responses", "BadRequest"),
          "503": jsonResponse("Gmail is not configured here (GOOGLE_CLIENT_ID and GOOGLE_CLIENT_SECRET)", ref("schemas", "Error")),
        },
      }),
    },
    "/api/gmail/push": {
      post: operation("public", {
        operationId: "receiveGmailPush",
        summary: "Gmail push notification from a Pub/Sub push subscription",
        description:
          "No session: the request must carry the subscription's Google-signed OIDC token (`Authorization: Bearer …`) with " +
          "issuer accounts.google.com, audience GMAIL_PUSH_AUDIENCE and the verified email GMAIL_PUSH_SERVICE_ACCOUNT. " +
          "Nothing is stored otherwise. A verified notification is stored once per Pub/Sub message id, then an incremental " +
          "sync of the mailbox runs in the background.",
        tags: ["email"],
        requestBody: jsonBody({
          type: "object",
          description: 'Pub/Sub\'s push envelope: { message: { data: base64 of {"emailAddress","historyId"}, messageId, publishTime }, subscription }',
        }),
        responses: {
          "200": jsonResponse("A repeat of a stored Pub/Sub message, or an address that is not connected (stored as ignored)", schemas.convert(pushAnswerSchema, "output")),
          "202": jsonResponse("Stored; the mailbox syncs in the background", schemas.convert(pushAnswerSchema, "output")),
          "400": ref("responses", "BadRequest"),
          "401": jsonResponse("The OIDC token is missing, forged, expired or not the configured subscription's; nothing was stored", ref("schemas", "Error")),
          "503": jsonResponse("Push is not configured (GMAIL_PUSH_AUDIENCE, GMAIL_PUSH_SERVICE_ACCOUNT) or Google's certificates cannot be fetched; nothing was stored", ref("schemas", "Error")),
        },
      }),
    },
    "/api/email/oauth/callback": {
      get: operation("session", {
        operationId: "gmailOAuthCallback",
        summary: "Where Google sends the browser back after consent",
        description:
          "Checks `state` against the cookie and the signed-in user, stores the account's tokens encrypted and queues its first " +
          "backfill, then redirects to the page the connection started from with `?connected=<account id>`, or with " +
          "`?connectError=<message>` when the user declined, the state is stale or Google refused the code.",
        tags: ["email"],
        parameters: queryParameters(schemas, callbackQuery),
        responses: { "303": redirect("Back to the app", "The returnTo page with ?connected= or ?connectError=") },
      }),
    },
  };
}
