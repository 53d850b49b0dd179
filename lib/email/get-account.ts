import { can } from "@/lib/auth/permissions";
import { autocommit } from "@/lib/db/transaction";
import { AppError } from "@/lib/errors";
import { listAccounts, toEmailAccountDto, type EmailAccountDto } from "./accounts";
import * as accounts from "./accounts.repository";
import { ownsAccount, type MailboxUser } from "./mailbox-access";

// Which accounts a person may see (address, status, last sync; never tokens, never mail): their
// own, and with settings.manage every one, so an admin can find and disconnect a broken mailbox.
// What is in a mailbox stays its owner's alone (lib/email/mailbox-access.ts).

const seesEveryAccount = (user: MailboxUser) => can(user.role, "settings.manage");

export async function listAccountsFor(user: MailboxUser): Promise<EmailAccountDto[]> {
  return listAccounts(seesEveryAccount(user) ? "operator" : user);
}

/** One account the person may see, without its tokens; 404 when there is none or they may not. */
export async function getAccount(user: MailboxUser, id: string): Promise<EmailAccountDto> {
  const row = await accounts.findAccountById(autocommit(), id);
  if (!row || !(ownsAccount(user, row) || seesEveryAccount(user))) throw new AppError("not_found", `No email account ${id}`);
  return toEmailAccountDto(row);
}
