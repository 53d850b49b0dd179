import { monotonicFactory } from "ulid";

// Prefixed, time-sortable ids (`run_01J…`) for everything users see in URLs and logs.
const ulid = monotonicFactory();

export type IdPrefix = "usr" | "sia" | "run" | "sch" | "slt" | "src" | "sub" | "evt" | "wdp" | "agt" | "tok" | "aud" | "job" | "jev" | "ara" | "cnv" | "msg" | "trn" | "eml" | "gpn" | "tsr" | "tmsg" | "tact" | "trule" | "tfb" | "apr";

export function newId(prefix: IdPrefix): string {
  return `${prefix}_${ulid().toLowerCase()}`;
}
