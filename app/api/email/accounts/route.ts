import { listAccounts } from "@/lib/email/accounts";
import { getConfig } from "@/lib/config";
import { handle } from "@/lib/http/handler";
import { accountListSchema } from "@/lib/email/api-schemas";
import { jsonResponse } from "@/lib/openapi/operations";

// The connected Gmail accounts (never their tokens), and whether connecting one is possible here.

export const GET = handle({
  auth: "session",
  allow: "activity.view",
  openapi: {
    operationId: "listEmailAccounts",
    summary: "List connected Gmail accounts (without their tokens)",
    tags: ["email"],
    responses: { "200": jsonResponse("The accounts", accountListSchema) },
  },
}, async () => ({
  accounts: await listAccounts(),
  googleConfigured: getConfig().googleSignIn,
}));
