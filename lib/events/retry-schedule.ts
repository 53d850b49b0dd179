// When a failed webhook event is retried on its own: the delay after each failure, by the
// database's clock. The first failure waits 1 minute, the next 5 minutes, then 30 minutes, 2 hours
// and 6 hours; when the retry after that last wait fails too (about 8.6 hours after the first
// failure), the event is dead and waits for a manual retry.
export const RETRY_DELAYS_SECONDS: readonly number[] = [60, 5 * 60, 30 * 60, 2 * 3600, 6 * 3600];


/** "1 min, 5 min, 30 min, 2 h and 6 h" */
export function describeRetrySchedule(delays: readonly number[] = RETRY_DELAYS_SECONDS): string {
  const words = delays.map((s) => (s < 3600 ? `${s / 60} min` : `${s / 3600} h`));
  return words.length > 1 ? `${words.slice(0, -1).join(", ")} and ${words.at(-1)}` : words.join("");
}
