import { autocommit } from "@/lib/db/transaction";
import { listHubWriteRuns, type HubRunRow } from "./hub-runs.repository";

// "Who changed the hub, and when": user (the dashboard, the CLI, the API with a session), agent (a
// token), assistant (a chat tool call) or pipeline (a schedule, an event, another pipeline's run).

export type ChangeAuthor = "user" | "agent" | "assistant" | "pipeline";

export type HubChange = {
  runId: string;
  path: string;
  pipeline: string;
  kind: "created" | "edited" | "captured";
  author: ChangeAuthor;
  /** Who, in words: an email, an agent's name, "Inbox assistant for …", a schedule's name. */
  actorLabel: string;
  trigger: string;
  conversationId: string | null;
  at: string;
};

export function changeAuthor(run: Pick<HubRunRow, "actorType" | "trigger" | "conversationId" | "parentRunId">): ChangeAuthor {
  if (run.conversationId || run.trigger === "chat") return "assistant";
  if (run.actorType === "agent") return "agent";
  if (run.parentRunId || run.actorType === "schedule" || run.actorType === "event" || run.actorType === "system") return "pipeline";
  return "user";
}

function toChange(run: HubRunRow): HubChange | null {
  const output = run.output as { path?: unknown; created?: unknown } | null;
  if (!output || typeof output.path !== "string") return null;
  const kind = run.pipeline === "notes.capture" ? "captured" : output.created === true ? "created" : "edited";
  return {
    runId: run.id,
    path: output.path,
    pipeline: run.pipeline,
    kind,
    author: changeAuthor(run),
    actorLabel: run.actorLabel ?? run.actorType,
    trigger: run.trigger,
    conversationId: run.conversationId,
    at: (run.finishedAt ?? run.queuedAt).toISOString(),
  };
}

/** The latest changes to the hub, newest first; `path` narrows them to one file. */
export async function listRecentChanges(options: { limit?: number; path?: string } = {}): Promise<HubChange[]> {
  const rows = await listHubWriteRuns(autocommit(), Math.min(Math.max(options.limit ?? 20, 1), 100), options.path);
  return rows.map(toChange).filter((change): change is HubChange => change !== null);
}
