import { randomFillSync } from "node:crypto";
import { monotonicFactory } from "ulid";

// Prefixed, time-sortable ids (`run_01J…`) for everything users see in URLs and logs.
//
// ulid's own source of randomness asks the operating system for one byte per character (sixteen
// calls for a fresh id); a hot path makes several ids per request, so the bytes come from a pool
// filled from the same cryptographic source 4 KiB at a time, each byte used once.
const pool = Buffer.alloc(4096);
let taken = pool.length;

function randomFraction(): number {
  if (taken === pool.length) {
    randomFillSync(pool);
    taken = 0;
  }
  return pool[taken++]! / 0xff; // as ulid's default does with its byte
}

const ulid = monotonicFactory(randomFraction);

export type IdPrefix = "usr" | "sia" | "run" | "sch" | "slt" | "src" | "sub" | "evt" | "wdp" | "agt" | "tok" | "aud" | "job" | "jev" | "ara" | "cnv" | "msg" | "trn" | "eml" | "gpn" | "tsr" | "tmsg" | "tact" | "trule" | "tfb" | "apr";

export function newId(prefix: IdPrefix): string {
  return `${prefix}_${ulid().toLowerCase()}`;
}
