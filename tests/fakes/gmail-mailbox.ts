// The fake Gmail's data model: one mailbox per account with messages, labels, history records like
// Gmail's and an optional watch, plus the few search operators the provider uses.

export type FakeLabel = { id: string; name: string; type: "system" | "user" };

export type FakeMessage = {
  id: string;
  threadId: string;
  labelIds: string[];
  raw: Buffer;
  internalDate: number;
  historyId: number;
};

export type MessageRef = { id: string; threadId: string; labelIds: string[] };

export type HistoryRecord = {
  id: number;
  messagesAdded?: { message: MessageRef }[];
  labelsAdded?: { message: MessageRef; labelIds: string[] }[];
  labelsRemoved?: { message: MessageRef; labelIds: string[] }[];
};

export type FakeWatch = { topicName: string; labelIds: string[]; expiration: number };

export type FakeDraft = { id: string; message: FakeMessage };

export type Mailbox = {
  email: string;
  messages: Map<string, FakeMessage>;
  labels: FakeLabel[];
  history: HistoryRecord[];
  /** History before this id is gone: a startHistoryId below it answers 404. */
  oldestHistoryId: number;
  watch: FakeWatch | null;
  drafts: Map<string, FakeDraft>;
  /** Every message sent from this mailbox (drafts.send), in order. */
  sent: FakeMessage[];
};

const SYSTEM_LABELS = ["INBOX", "SPAM", "TRASH", "UNREAD", "STARRED", "IMPORTANT", "SENT", "DRAFT", "CATEGORY_PERSONAL", "CATEGORY_SOCIAL", "CATEGORY_PROMOTIONS", "CATEGORY_UPDATES", "CATEGORY_FORUMS"];

export function createMailbox(email: string, historyId: number): Mailbox {
  return { email, messages: new Map(), labels: SYSTEM_LABELS.map((id) => ({ id, name: id, type: "system" as const })), history: [], oldestHistoryId: historyId, watch: null, drafts: new Map(), sent: [] };
}

export const messageRef = (m: FakeMessage): MessageRef => ({ id: m.id, threadId: m.threadId, labelIds: [...m.labelIds] });

/** Records after `start`, keeping only the kinds in `types` (all when empty), as users.history.list answers. */
export function historySince(box: Mailbox, start: number, types: string[]): HistoryRecord[] {
  return box.history
    .filter((r) => r.id > start)
    .map((r) => {
      const kept: HistoryRecord = { id: r.id };
      if (r.messagesAdded && (!types.length || types.includes("messageAdded"))) kept.messagesAdded = r.messagesAdded;
      if (r.labelsAdded && (!types.length || types.includes("labelAdded"))) kept.labelsAdded = r.labelsAdded;
      if (r.labelsRemoved && (!types.length || types.includes("labelRemoved"))) kept.labelsRemoved = r.labelsRemoved;
      return kept;
    })
    .filter((r) => r.messagesAdded || r.labelsAdded || r.labelsRemoved);
}

// --- Gmail search, the few operators the provider uses ----------------------------------------------

export function matchesQuery(message: FakeMessage, q: string, labels: FakeLabel[]): boolean {
  const units: Record<string, number> = { d: 86_400_000, h: 3_600_000, m: 30 * 86_400_000, y: 365 * 86_400_000 };
  for (const term of q.split(/\s+/).filter(Boolean)) {
    let m: RegExpExecArray | null;
    if ((m = /^newer_than:(\d+)([dhmy])$/.exec(term))) {
      if (message.internalDate < Date.now() - Number(m[1]) * units[m[2]!]!) return false;
    } else if ((m = /^(after|before):(\d+)$/.exec(term))) {
      const at = Number(m[2]) * 1000;
      if (m[1] === "after" ? message.internalDate <= at : message.internalDate >= at) return false;
    } else if ((m = /^(-?)(?:in|label):(\S+)$/.exec(term))) {
      const name = m[2]!.toLowerCase();
      const label = labels.find((l) => l.id.toLowerCase() === name || l.name.toLowerCase() === name);
      if (message.labelIds.includes(label?.id ?? "") === (m[1] === "-")) return false;
    } else {
      throw new Error(`The fake Gmail does not understand the search term "${term}"`);
    }
  }
  return true;
}
