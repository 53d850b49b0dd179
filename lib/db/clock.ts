import { autocommit, type Tx } from "@/lib/db/transaction";

// The database's clock. What decides correctness between processes (is a slot due, a lease run
// out, an instance gone quiet) is read from here, not from whichever app server asks: their
// clocks may disagree with each other and with the one that wrote the row.

export async function databaseNow(tx: Tx = autocommit()): Promise<Date> {
  const [row] = await tx.$queryRaw<{ now: Date }[]>`SELECT now() AS now`;
  return row!.now;
}
