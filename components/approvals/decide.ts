import { APPROVALS_CHANGED } from "./pending-badge";

// Deciding an approval (or retrying its failed run) through the session API, from any page: the
// answer's error message, or null when it worked. The navigation badge is told to refresh.

export type DecisionAction = "approve" | "deny" | "retry";

export type Decide = (id: string, action: DecisionAction, reason?: string) => Promise<string | null>;

export const decideApproval: Decide = async (id, action, reason) => {
  let error: string | null = null;
  try {
    const res = await fetch(`/api/approvals/${id}/${action}`, {
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
};
