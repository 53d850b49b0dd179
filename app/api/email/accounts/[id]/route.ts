import { disconnectAccount } from "@/lib/email/accounts";
import { getAccount } from "@/lib/email/get-account";
import { stopWatch } from "@/lib/email/watch";
import { handle } from "@/lib/http/handler";
import { accountResponseSchema } from "@/lib/email/api-schemas";
import { jsonResponse, pathParameter } from "@/lib/openapi/operations";

export const GET = handle<{ id: string }>({
  auth: "session",
  allow: "mail.own",
  openapi: {
    operationId: "getEmailAccount",
    summary: "Get one Gmail account (without its tokens)",
    tags: ["email"],
    parameters: [pathParameter("id", "The account's id (eml_…)", { type: "string" })],
    responses: { "200": jsonResponse("The account", accountResponseSchema), "404": "NotFound" },
  },
}, async ({ params, user }) => ({ account: await getAccount(user, params.id) }));

// One's own mailbox, or with settings.manage anyone's (an admin may disconnect a broken one; that
// reveals no mail). Stop push first, while the tokens still work (best effort: stopWatch never throws, and an
// unstopped watch lapses within 7 days); then revoke the grant and delete the tokens.
export const DELETE = handle<{ id: string }>({
  auth: "session",
  allow: "mail.own",
  openapi: {
    operationId: "disconnectEmailAccount",
    summary: "Disconnect a Gmail account: stop push, revoke the grant at Google, delete the tokens",
    description: "The tokens are deleted even when Google does not confirm the revocation (that is logged). The account stays, disconnected, with its history.",
    tags: ["email"],
    parameters: [pathParameter("id", "The account's id (eml_…)", { type: "string" })],
    responses: { "200": jsonResponse("The account", accountResponseSchema), "404": "NotFound" },
  },
}, async ({ params, user }) => {
  const account = await getAccount(user, params.id);
  await stopWatch(account.id);
  return { account: await disconnectAccount(account.id) };
});
