import { z } from "zod";
import { autocommit } from "@/lib/db/transaction";

// The names of the Gmail labels triage puts on mail, remembered per mailbox when it creates or
// finds them, so the action log reads "Triage/Finance" rather than Gmail's id "Label_2" without a
// Gmail call per page.

const namesSchema = z.record(z.string(), z.string());

export async function rememberLabelNames(accountId: string, names: Record<string, string>): Promise<void> {
  if (Object.keys(names).length === 0) return;
  await autocommit().$executeRaw`
    UPDATE email_accounts SET label_names = label_names || ${JSON.stringify(names)}::jsonb WHERE id = ${accountId}`;
}

/** Label id → name per account. */
export async function labelNamesOf(accountIds: string[]): Promise<Map<string, Record<string, string>>> {
  if (accountIds.length === 0) return new Map();
  const rows = await autocommit().emailAccount.findMany({ where: { id: { in: [...new Set(accountIds)] } }, select: { id: true, labelNames: true } });
  return new Map(rows.map((r) => [r.id, namesSchema.catch({}).parse(r.labelNames)]));
}
