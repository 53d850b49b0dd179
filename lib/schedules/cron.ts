import { Cron, CronPattern } from "croner";

// Cron math for schedules: croner parses and matches the expression; this module turns its
// wall-clock matches into instants in the schedule's IANA timezone with one documented rule for
// daylight-saving changes (croner 10's own timezone mode returns out-of-order and duplicate
// instants around them, and is ~100× slower).
//
// Expressions: five fields, `minute hour day-of-month month day-of-week`, as in crontab, plus
// croner's extras (names like MON or JAN, ranges, steps, lists, L, W, #) and the nicknames
// @hourly, @daily, @weekly, @monthly, @yearly. When both day fields are restricted a day matching
// either one fires (classic cron). No seconds field: schedules are checked once a minute.
//
// Daylight saving — fire times are wall-clock times in the schedule's timezone:
// - A time the clock skips (spring forward; 02:30 on 2026-03-29 in Europe/Amsterdam, or
//   2026-03-08 in America/New_York) fires once, at the moment the clock jumps: 03:00 local.
//   Several skipped times of one schedule (02:00 and 02:30) fire once, together.
// - A time the clock shows twice (fall back; 01:30 on 2026-11-01 in America/New_York, 02:30 on
//   2026-10-25 in Europe/Amsterdam) fires once, at its first occurrence (daylight time).
// - Exception: an expression whose hour field is `*` (every hour, every 5 minutes, every minute)
//   is a rhythm rather than an appointment, so it follows real time: it fires in both passes of
//   the repeated hour, and nothing is fired for times that do not exist.

export const CRON_EXAMPLE = "0 9 * * 1-5";

/** Larger than any change of UTC offset in the tz database (at most 2 h), for search windows. */
const MAX_SHIFT_MS = 3 * 3_600_000;
const MINUTE_MS = 60_000;

type Parsed = { cron: Cron; hourly: boolean };

const parsedCache = new Map<string, Parsed>();
const CACHE_LIMIT = 2_000;

export function normalizeCron(expression: string): string {
  return expression.trim().replace(/\s+/g, " ");
}

function parse(expression: string): Parsed {
  const key = normalizeCron(expression);
  let parsed = parsedCache.get(key);
  if (!parsed) {
    // utcOffset 0: croner enumerates wall-clock times with no daylight saving; we map them to instants.
    const options = { utcOffset: 0, mode: "5-part" as const };
    const cron = new Cron(key, options);
    const pattern = new CronPattern(key, undefined, { mode: "5-part" });
    parsed = { cron, hourly: pattern.hour.every((h) => h !== 0) };
    if (parsedCache.size >= CACHE_LIMIT) parsedCache.clear();
    parsedCache.set(key, parsed);
  }
  return parsed;
}

/** Why an expression is not usable, in words for the owner, or null when it is fine. */
export function cronProblem(expression: string): string | null {
  const key = normalizeCron(expression);
  if (!key) return "is required";
  if (!key.startsWith("@") && key.split(" ").length !== 5) {
    return `must have five fields: minute hour day-of-month month day-of-week (e.g. "${CRON_EXAMPLE}")`;
  }
  try {
    const { cron } = parse(key);
    if (!cron.nextRun(new Date())) return "never matches a date";
    return null;
  } catch (error) {
    const message = error instanceof Error ? error.message.replace(/^CronPattern: /, "") : String(error);
    return message.charAt(0).toLowerCase() + message.slice(1);
  }
}

// ---------------------------------------------------------------------------------------------
// Timezones

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timezone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timezone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat("en-US", {
      timeZone: timezone,
      hourCycle: "h23",
      year: "numeric",
      month: "numeric",
      day: "numeric",
      hour: "numeric",
      minute: "numeric",
      second: "numeric",
    });
    formatters.set(timezone, formatter);
  }
  return formatter;
}

// A tick plans thousands of schedules that fire at the same few instants in the same few zones:
// each offset is worked out once (formatToParts is the costly part of claiming), then remembered.
const OFFSET_CACHE_SIZE = 10_000;
const offsetCache = new Map<string, number>();

/** The timezone's UTC offset at an instant, in ms (local wall clock minus UTC). */
export function offsetAt(timezone: string, instantMs: number): number {
  const key = `${timezone}|${instantMs}`;
  const cached = offsetCache.get(key);
  if (cached !== undefined) return cached;
  const offset = computeOffsetAt(timezone, instantMs);
  if (offsetCache.size >= OFFSET_CACHE_SIZE) offsetCache.clear();
  offsetCache.set(key, offset);
  return offset;
}

function computeOffsetAt(timezone: string, instantMs: number): number {
  const fields: Record<string, number> = {};
  for (const part of formatterFor(timezone).formatToParts(new Date(instantMs))) {
    if (part.type !== "literal") fields[part.type] = Number(part.value);
  }
  const wall = Date.UTC(fields.year!, fields.month! - 1, fields.day!, fields.hour!, fields.minute!, fields.second!);
  return wall - Math.floor(instantMs / 1000) * 1000;
}

/** Accepts IANA names (any letter case, and the tz database's aliases such as US/Eastern), not offsets. */
export function normalizeTimezone(timezone: string): string | null {
  const name = timezone.trim();
  if (!/^[A-Za-z][A-Za-z0-9_+-]*(\/[A-Za-z0-9_+-]+)*$/.test(name)) return null;
  try {
    const resolved = new Intl.DateTimeFormat("en-US", { timeZone: name }).resolvedOptions().timeZone;
    return resolved.toLowerCase() === name.toLowerCase() ? resolved : name;
  } catch {
    return null;
  }
}

let zoneList: string[] | undefined;

/** Every timezone this server knows, for pickers. */
export function allTimezones(): string[] {
  zoneList ??= [...new Set(["UTC", ...Intl.supportedValuesOf("timeZone")])];
  return zoneList;
}

// ---------------------------------------------------------------------------------------------
// Fire times

/**
 * The instants at which a wall-clock match fires, by the rules in the header: one instant
 * normally; for a repeated time the first (or, for hourly rhythms, both); for a skipped time the
 * moment the clock jumps (or, for hourly rhythms, none).
 */
function instantsFor(wallMs: number, timezone: string, hourly: boolean): number[] {
  const guess = wallMs - offsetAt(timezone, wallMs);
  const offsets = new Set([offsetAt(timezone, guess - MAX_SHIFT_MS), offsetAt(timezone, guess), offsetAt(timezone, guess + MAX_SHIFT_MS)]);
  const valid = [...offsets]
    .map((offset) => wallMs - offset)
    .filter((instant) => offsetAt(timezone, instant) === wallMs - instant)
    .sort((a, b) => a - b);
  if (valid.length > 0) return hourly ? valid : valid.slice(0, 1);
  if (hourly) return [];
  // In a gap: the transition lies between the instant this wall time would have before the
  // change and the one it would have after. Binary search to the second.
  const before = Math.min(...offsets);
  const after = Math.max(...offsets);
  let lo = Math.floor((wallMs - after) / 1000); // offset here is still `before`
  let hi = Math.ceil((wallMs - before) / 1000); // offset here is already `after`
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (offsetAt(timezone, mid * 1000) === after) hi = mid;
    else lo = mid;
  }
  return [hi * 1000];
}

/** Where the general path gives up: no expression needs this many wall-clock steps for a few fire times. */
const MAX_STEPS = 200_000;

/** Fire times after `after`, the general way: correct across offset changes, slower. */
function fireTimesAroundChanges(parsed: Parsed, timezone: string, after: number, count: number): number[] {
  const found: { at: number; wall: number }[] = [];
  const seen = new Set<number>();
  let wall = new Date(after + offsetAt(timezone, after) - MAX_SHIFT_MS);
  for (let step = 0; step < MAX_STEPS; step++) {
    const next = parsed.cron.nextRun(wall);
    if (!next) break;
    wall = next;
    const wallMs = next.getTime();
    const kth = found[count - 1];
    if (kth && wallMs - MAX_SHIFT_MS > kth.wall) break;
    for (const at of instantsFor(wallMs, timezone, parsed.hourly)) {
      if (at <= after || seen.has(at)) continue;
      seen.add(at);
      found.push({ at, wall: at + offsetAt(timezone, at) });
      found.sort((a, b) => a.at - b.at);
    }
  }
  return found.slice(0, count).map((f) => f.at);
}

/**
 * Fire times after `after` assuming the offset stays what it is at `after`; null when an offset
 * change is near any of them (then the general path decides).
 */
function fireTimesSteadyOffset(parsed: Parsed, timezone: string, after: number, count: number): number[] | null {
  const offset = offsetAt(timezone, after);
  if (offsetAt(timezone, after + MAX_SHIFT_MS) !== offset) return null;
  const out: number[] = [];
  let wall = new Date(after + offset);
  while (out.length < count) {
    const next = parsed.cron.nextRun(wall);
    if (!next) break;
    wall = next;
    const at = next.getTime() - offset;
    if (offsetAt(timezone, at) !== offset || offsetAt(timezone, at - MAX_SHIFT_MS) !== offset) return null;
    out.push(at);
  }
  return out;
}

/** The next `count` fire times strictly after `after`, as instants, in order. */
export function nextFireTimes(expression: string, timezone: string, after: Date, count: number): Date[] {
  if (count <= 0) return [];
  const parsed = parse(expression);
  // croner works in whole seconds: start from the second `after` is in (matches are strictly later).
  const start = Math.floor(after.getTime() / 1000) * 1000;
  const times = fireTimesSteadyOffset(parsed, timezone, start, count) ?? fireTimesAroundChanges(parsed, timezone, start, count);
  return times.filter((t) => t > after.getTime()).map((t) => new Date(t));
}

/** Fire times in order, lazily, strictly after `after`. */
export function* iterateFireTimes(expression: string, timezone: string, after: Date): Generator<Date> {
  let cursor = after;
  let chunk = 2;
  for (;;) {
    const batch = nextFireTimes(expression, timezone, cursor, chunk);
    yield* batch;
    if (batch.length < chunk) return;
    cursor = batch[batch.length - 1]!;
    chunk = Math.min(chunk * 2, 256);
  }
}

/** Fire times in (from, to], oldest first, at most `limit`. */
export function firesBetween(expression: string, timezone: string, from: Date, to: Date, limit: number): Date[] {
  const out: Date[] = [];
  if (limit <= 0) return out;
  for (const at of iterateFireTimes(expression, timezone, from)) {
    if (at > to) break;
    out.push(at);
    if (out.length >= limit) break;
  }
  return out;
}

/**
 * The most recent fire times in (from, to], oldest first, at most `limit`, and whether earlier
 * ones were left out. Cheap however long the interval (a week of an every-minute schedule): it
 * widens a window back from `to` until it holds enough.
 */
export function latestFiresBetween(
  expression: string,
  timezone: string,
  from: Date,
  to: Date,
  limit: number,
): { fires: Date[]; truncated: boolean } {
  let span = 2 * MINUTE_MS;
  for (;;) {
    const start = new Date(Math.max(from.getTime(), to.getTime() - span));
    // The window grows fourfold only while it holds fewer than `limit`, so this stays small.
    const fires = firesBetween(expression, timezone, start, to, Infinity);
    if (fires.length >= limit || start.getTime() === from.getTime()) {
      const kept = fires.slice(-limit);
      const first = kept[0];
      const earlier = first !== undefined && start > from ? nextFireTimes(expression, timezone, from, 1)[0] : undefined;
      return { fires: kept, truncated: fires.length > limit || (earlier !== undefined && earlier < first!) };
    }
    span *= 4;
  }
}

// ---------------------------------------------------------------------------------------------
// Display

const localFormatters = new Map<string, Intl.DateTimeFormat>();

/** `Sun 29 Mar 2026, 03:00 CEST`: an instant as the schedule's wall clock shows it. */
export function formatInZone(at: Date, timezone: string): string {
  let formatter = localFormatters.get(timezone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat("en-GB", {
      timeZone: timezone,
      weekday: "short",
      day: "numeric",
      month: "short",
      year: "numeric",
      hour: "2-digit",
      minute: "2-digit",
      hourCycle: "h23",
      timeZoneName: "short",
    });
    localFormatters.set(timezone, formatter);
  }
  return formatter.format(at);
}

/** `+02:00`: the offset the timezone has at an instant. */
export function formatOffset(at: Date, timezone: string): string {
  const minutes = Math.round(offsetAt(timezone, at.getTime()) / MINUTE_MS);
  const sign = minutes < 0 ? "-" : "+";
  const abs = Math.abs(minutes);
  return `${sign}${String(Math.floor(abs / 60)).padStart(2, "0")}:${String(abs % 60).padStart(2, "0")}`;
}
