import { disconnectAccount } from "@/lib/email/accounts";
import { getAccount } from "@/lib/email/get-account";
import { stopWatch } from "@/lib/email/watch";
import { handle } from "@/lib/http/handler";

export const GET = handle<{ id: string }>({ auth: "session", allow: "activity.view" }, async ({ params }) => ({ account: await getAccount(params.id) }));

// Stop push first, while the tokens still work (best effort: stopWatch never throws, and an
// unstopped watch lapses within 7 days); then revoke the grant and delete the tokens.
export const DELETE = handle<{ id: string }>({ auth: "session", allow: "settings.manage" }, async ({ params }) => {
  const account = await getAccount(params.id);
  await stopWatch(account.id);
  return { account: await disconnectAccount(account.id) };
});
