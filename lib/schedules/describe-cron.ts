import { normalizeCron } from "@/lib/schedules/cron";

// Plain words for the cron expressions people write most ("every 5 minutes", "at 09:00 on
// weekdays"). Anything rarer returns null and is shown as the expression alone.

const DAY_NAMES = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];
const DAY_ALIASES: Record<string, number> = { SUN: 0, MON: 1, TUE: 2, WED: 3, THU: 4, FRI: 5, SAT: 6 };
const NICKNAMES: Record<string, string> = {
  "@yearly": "0 0 1 1 *",
  "@annually": "0 0 1 1 *",
  "@monthly": "0 0 1 * *",
  "@weekly": "0 0 * * 0",
  "@daily": "0 0 * * *",
  "@midnight": "0 0 * * *",
  "@hourly": "0 * * * *",
};

const NUMBER = /^\d{1,2}$/;

function dayNumber(token: string): number | null {
  const upper = token.toUpperCase();
  if (upper in DAY_ALIASES) return DAY_ALIASES[upper]!;
  if (!NUMBER.test(token)) return null;
  const n = Number(token);
  return n >= 0 && n <= 7 ? n % 7 : null;
}

function describeDays(field: string): string | null {
  if (field === "*") return "every day";
  const range = /^(\w+)-(\w+)$/.exec(field);
  if (range) {
    const [from, to] = [dayNumber(range[1]!), dayNumber(range[2]!)];
    if (from === 1 && to === 5) return "on weekdays";
    if (from !== null && to !== null) return `${DAY_NAMES[from]} to ${DAY_NAMES[to]}`;
    return null;
  }
  const days = field.split(",").map(dayNumber);
  if (days.some((d) => d === null)) return null;
  const names = days.map((d) => DAY_NAMES[d!]!);
  if (names.length === 2 && days.includes(0) && days.includes(6)) return "on weekends";
  return `on ${joinWords(names)}`;
}

function joinWords(words: string[]): string {
  return words.length <= 1 ? (words[0] ?? "") : `${words.slice(0, -1).join(", ")} and ${words[words.length - 1]}`;
}

const pad = (n: number) => String(n).padStart(2, "0");

function ordinal(n: number): string {
  const suffix = n % 10 === 1 && n !== 11 ? "st" : n % 10 === 2 && n !== 12 ? "nd" : n % 10 === 3 && n !== 13 ? "rd" : "th";
  return `${n}${suffix}`;
}

/** `Every 5 minutes`, `At 09:00 on weekdays`, … or null when the pattern is not a common one. */
export function describeCron(expression: string): string | null {
  let cron = normalizeCron(expression);
  cron = NICKNAMES[cron.toLowerCase()] ?? cron;
  const fields = cron.split(" ");
  if (fields.length !== 5) return null;
  const [minute, hour, dom, month, dow] = fields as [string, string, string, string, string];
  if (month !== "*") return null;

  if (hour === "*" && dom === "*" && dow === "*") {
    if (minute === "*") return "Every minute";
    const step = /^\*\/(\d+)$/.exec(minute);
    if (step) return step[1] === "1" ? "Every minute" : `Every ${step[1]} minutes`;
    if (NUMBER.test(minute)) return minute === "0" ? "Every hour, on the hour" : `Every hour at :${pad(Number(minute))}`;
    return null;
  }
  if (!NUMBER.test(minute)) return null;
  const hourStep = /^\*\/(\d+)$/.exec(hour);
  if (hourStep && dom === "*" && dow === "*") {
    return `Every ${hourStep[1]} hours at :${pad(Number(minute))}`;
  }
  const hours = hour.split(",");
  if (!hours.every((h) => NUMBER.test(h) && Number(h) < 24)) return null;
  const times = joinWords(hours.map((h) => `${pad(Number(h))}:${pad(Number(minute))}`));
  if (dom === "*") {
    const days = describeDays(dow);
    return days ? `At ${times} ${days}` : null;
  }
  if (dow === "*") {
    if (dom === "L") return `At ${times} on the last day of the month`;
    const doms = dom.split(",");
    if (doms.every((d) => NUMBER.test(d))) return `At ${times} on the ${joinWords(doms.map((d) => ordinal(Number(d))))} of the month`;
  }
  return null;
}
