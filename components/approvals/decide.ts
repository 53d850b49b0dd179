import { APPROVALS_CHANGED } from "./pending-badge";

// Deciding an approval (or retrying its failed run) through the session API, from any page: the
// answer's error message, or null when it worked. The navigation badge is told to refresh.

export type DecisionAction = "approve" | "deny" | "retry";

export type Decide = (id: string, action: DecisionAction, reason?: string) => Promise<string | null>;

export const decideApproval: Decide = (id, action, reason) => post(`/api/approvals/${id}/${action}`, action, reason);

const OWN_DRAFT_ACTIONS: Record<DecisionAction, string> = { approve: "send", deny: "discard", retry: "retry" };

/** A reply draft of one's own mailbox (the Triage page): the same decisions under /api/triage/reply-drafts. */
export const decideOwnReplyDraft: Decide = (id, action, reason) => post(`/api/triage/reply-drafts/${id}/${OWN_DRAFT_ACTIONS[action]}`, action, reason);

async function post(url: string, action: DecisionAction, reason?: string): Promise<string | null> {
  let error: string | null = null;
  try {
    const res = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(action === "deny" ? { reason } : {}),
    });
    if (!res.ok) {
      const json = (await res.json().catch(() => null)) as { error?: { message?: string } } | null;
      error = json?.error?.message ?? `The request failed (${res.status})`;
    }
  } catch {
    error = "The server could not be reached; try again.";
  }
  window.dispatchEvent(new Event(APPROVALS_CHANGED));
  return error;
}
