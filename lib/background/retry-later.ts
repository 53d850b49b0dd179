// Thrown by a background step that cannot proceed yet (e.g. a schedule whose previous run is
// still going, with the "queue" overlap policy). Both drivers retry it after `retryAfterMs`.
export class RetryLater extends Error {
  constructor(message: string, readonly retryAfterMs: number) {
    super(message);
    this.name = "RetryLater";
  }
}
