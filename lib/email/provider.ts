import { AppError } from "@/lib/errors";

// What the rest of the app may ask of a mailbox. Gmail is the one implementation today
// (gmail-provider.ts); these types are plain so no googleapis type leaks past it.

export type EmailProfile = {
  emailAddress: string;
  /** The mailbox's current history id: a sync started now continues from here. */
  historyId: string;
  messagesTotal: number;
};

export type MessageRef = { id: string; threadId: string };

export type ListMessagesOptions = {
  /** Only messages received after this moment (Gmail's `after:`, second precision). */
  since?: Date;
  /** Only messages carrying all these label ids. */
  labelIds?: string[];
  /** Ids per page, at most 500 (Gmail's cap). */
  pageSize?: number;
  /** Stop after this many pages; the result's nextPageToken says where to resume. */
  maxPages?: number;
  /** Resume a listing where an earlier call stopped. */
  pageToken?: string;
};

export type MessageListing = {
  /** Newest first, as Gmail lists them. */
  messages: MessageRef[];
  /** Set when more pages remain (maxPages was reached). */
  nextPageToken: string | null;
};

export type RawMessage = {
  id: string;
  threadId: string;
  labelIds: string[];
  historyId: string;
  /** When the mailbox received it. */
  receivedAt: Date;
  sizeEstimate: number;
  /** The RFC 822 bytes, exactly as stored. */
  raw: Buffer;
};

export type RawMessageBatch = {
  messages: RawMessage[];
  /** Ids that no longer exist (deleted between listing and fetching); not an error. */
  missing: string[];
};

export type LabelChange = { messageId: string; added: string[]; removed: string[] };

export type HistoryChanges = {
  /** Where the next sync continues from. */
  historyId: string;
  /** Messages added since the start id, oldest first, without duplicates. */
  addedMessageIds: string[];
  /** Label changes in the order they happened. */
  labelChanges: LabelChange[];
};

export type EmailLabel = { id: string; name: string; type: "system" | "user" };

export type WatchResult = { historyId: string; expiresAt: Date };

/** A draft: its id, and the id and thread of the message it holds. */
export type DraftRef = { draftId: string; messageId: string; threadId: string };

export type Draft = DraftRef & { raw: Buffer };

/** Thrown by listHistory when the start id is older than the history the provider keeps (Gmail: about a week). */
export class HistoryExpiredError extends AppError {
  constructor(readonly startHistoryId: string) {
    super("conflict", `The mailbox history from ${startHistoryId} is no longer available; a full sync is needed.`, { startHistoryId });
    this.name = "HistoryExpiredError";
  }
}

export function isHistoryExpired(error: unknown): error is HistoryExpiredError {
  return error instanceof HistoryExpiredError;
}

export interface EmailProvider {
  getProfile(): Promise<EmailProfile>;
  listMessageIds(options?: ListMessagesOptions): Promise<MessageListing>;
  /** Fetches raw messages with bounded concurrency; results follow the order of `ids`. */
  getRawMessages(ids: string[]): Promise<RawMessageBatch>;
  /** Every change after startHistoryId, all pages; throws HistoryExpiredError when it is too old. */
  listHistory(startHistoryId: string): Promise<HistoryChanges>;
  getLabels(): Promise<EmailLabel[]>;
  /** The label with this name (case-insensitive), created when missing. */
  ensureLabel(name: string): Promise<EmailLabel>;
  /** One message's label ids as they are now. */
  getMessageLabels(messageId: string): Promise<string[]>;
  /** Adds and removes label ids on one message; returns its labels afterwards. */
  modifyLabels(messageId: string, add: string[], remove: string[]): Promise<string[]>;
  /** The same change on many messages (chunked to the provider's limit). */
  modifyLabelsMany(messageIds: string[], add: string[], remove: string[]): Promise<void>;
  /** Push notifications to a Pub/Sub topic (`projects/<p>/topics/<t>`). */
  watch(topicName: string, labelIds?: string[]): Promise<WatchResult>;
  stop(): Promise<void>;
  /** Saves an RFC 822 message as a draft, in `threadId` when given (a reply). Never sends. */
  createDraft(raw: Buffer, threadId?: string): Promise<DraftRef>;
  /** The draft with its raw message; null when it no longer exists (sent or deleted). */
  getDraft(draftId: string): Promise<Draft | null>;
  /** Every draft in the mailbox (ids and threads only). */
  listDrafts(): Promise<DraftRef[]>;
  /** Deletes a draft; false when it was already gone. */
  deleteDraft(draftId: string): Promise<boolean>;
  /** Sends the draft as it is now; the draft is gone afterwards. */
  sendDraft(draftId: string): Promise<{ messageId: string; threadId: string }>;
}
