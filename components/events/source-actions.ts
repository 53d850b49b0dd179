import type { FieldIssue } from "@/lib/errors";
import type { SourceWithSecret } from "@/lib/events/manage-sources";

// What the sources page's server actions answer. The secret travels only in `created`, once.

export type ActionResult<T = undefined> =
  | { status: "ok"; value: T }
  | { status: "error"; message: string; issues?: FieldIssue[] };

export type SourceActions = {
  createSource(input: { name: string; description?: string; toleranceSeconds?: number }): Promise<ActionResult<SourceWithSecret>>;
  rotateSecret(name: string): Promise<ActionResult<SourceWithSecret>>;
  setSourceEnabled(name: string, enabled: boolean): Promise<ActionResult>;
  deleteSource(name: string): Promise<ActionResult>;
  addSubscription(source: string, input: { eventType: string; pipeline: string; inputTemplate: unknown }): Promise<ActionResult>;
  setSubscriptionEnabled(source: string, id: string, enabled: boolean): Promise<ActionResult>;
  removeSubscription(source: string, id: string): Promise<ActionResult>;
};
