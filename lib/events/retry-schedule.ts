// When a failed webhook event is retried on its own: the delay after each failure, by the
// database's clock. The first failure waits 1 minute, the next 5 minutes, then 30 minutes, 2 hours
// and 6 hours; when the retry after that last wait fails too (about 8.6 hours after the first
// failure), the event is dead and waits for a manual retry.
export const RETRY_DELAYS_SECONDS: readonly number[] = [60, 5 * 60, 30 * 60, 2 * 3600, 6 * 3600];

