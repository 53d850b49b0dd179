import { autocommit } from "@/lib/db/transaction";
import { AppError } from "@/lib/errors";
import { toEmailAccountDto, type EmailAccountDto } from "./accounts";
import * as accounts from "./accounts.repository";

/** One connected (or disconnected) account, without its tokens; 404 when there is none. */
export async function getAccount(id: string): Promise<EmailAccountDto> {
  const row = await accounts.findAccountById(autocommit(), id);
  if (!row) throw new AppError("not_found", `No email account ${id}`);
  return toEmailAccountDto(row);
}
