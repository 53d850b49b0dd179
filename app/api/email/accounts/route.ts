import { listAccounts } from "@/lib/email/accounts";
import { getConfig } from "@/lib/config";
import { handle } from "@/lib/http/handler";

// The connected Gmail accounts (never their tokens), and whether connecting one is possible here.

export const GET = handle({ auth: "session", allow: "activity.view" }, async () => ({
  accounts: await listAccounts(),
  googleConfigured: getConfig().googleSignIn,
}));
