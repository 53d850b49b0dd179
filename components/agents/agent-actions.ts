import type { FieldIssue } from "@/lib/errors";

// What the agents pages' server actions answer. A client secret travels only in `Issued`, once.

export type ActionResult<T = undefined> =
  | { status: "ok"; value: T }
  | { status: "error"; message: string; issues?: FieldIssue[] };

export type Issued = { agentId: string; name: string; clientId: string; clientSecret: string; tokenCurl: string };

export type ScopeInput = { description?: string | null; jobKinds: string[]; pipelines: string[] };
