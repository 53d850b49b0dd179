import { listAccountsFor } from "@/lib/email/get-account";
import { getConfig } from "@/lib/config";
import { handle } from "@/lib/http/handler";
import { accountListSchema } from "@/lib/email/api-schemas";
import { jsonResponse } from "@/lib/openapi/operations";

// The Gmail accounts the caller may see (their own; with settings.manage every one), never their
// tokens or mail, and whether connecting one is possible here.

export const GET = handle({
  auth: "session",
  allow: "mail.own",
  openapi: {
    operationId: "listEmailAccounts",
    summary: "List the Gmail accounts you may see: your own, and every one with settings.manage (without their tokens)",
    tags: ["email"],
    responses: { "200": jsonResponse("The accounts", accountListSchema) },
  },
}, async ({ user }) => ({
  accounts: await listAccountsFor(user),
  googleConfigured: getConfig().googleSignIn,
}));
