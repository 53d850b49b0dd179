import type { Credentials } from "google-auth-library";
import { google, type gmail_v1 } from "googleapis";
import { AppError } from "@/lib/errors";
import { traceGmailCall } from "@/lib/observability/observe";
import { toGmailAppError } from "./gmail-errors";
import { createOAuthClient, resolveEndpoints, type GoogleClientSettings } from "./oauth";
import {
  HistoryExpiredError,
  type Draft,
  type DraftRef,
  type EmailLabel,
  type EmailProfile,
  type EmailProvider,
  type HistoryChanges,
  type LabelChange,
  type ListMessagesOptions,
  type MessageListing,
  type RawMessage,
  type RawMessageBatch,
  type WatchResult,
} from "./provider";

// The one place that calls googleapis for Gmail. The OAuth2 client refreshes the access token on
// its own (before expiry, and once on a 401); each new token goes to `onTokens` so the caller can
// encrypt and store it. Tokens never appear in logs or error messages (see gmail-errors.ts).

export type StoredTokens = { accessToken?: string | null; refreshToken: string; expiresAt?: Date | null };

export type RefreshedTokens = { accessToken: string; refreshToken: string; expiresAt: Date | null };

export type GmailProviderOptions = GoogleClientSettings & {
  tokens: StoredTokens;
  /** Called after every refresh; awaited before the call that caused it returns. */
  onTokens?: (tokens: RefreshedTokens) => void | Promise<void>;
  /** Parallel messages.get calls in getRawMessages. */
  concurrency?: number;
  /**
   * At most this many messages.get calls per second from this provider (0 = no limit). Gmail's
   * per-user quota is 250 units/s and a get costs 5, so about 50/s before it answers 429.
   */
  messagesPerSecond?: number;
  /** Retries of idempotent calls on 429/5xx (googleapis' exponential backoff). */
  retries?: number;
  timeoutMs?: number;
};

const MAX_BATCH_MODIFY = 1000;
const USER = "me";

export class GmailProvider implements EmailProvider {
  private readonly gmail: gmail_v1.Gmail;
  private readonly auth: ReturnType<typeof createOAuthClient>;
  private readonly concurrency: number;
  private pendingTokenWrites: Promise<void>[] = [];
  private readonly getInterval: number;
  private nextGetAt = 0;

  constructor(options: GmailProviderOptions) {
    this.auth = createOAuthClient(options);
    this.auth.setCredentials({
      access_token: options.tokens.accessToken ?? undefined,
      refresh_token: options.tokens.refreshToken,
      expiry_date: options.tokens.expiresAt?.getTime(),
    });
    this.auth.on("tokens", (tokens: Credentials) => {
      if (!options.onTokens || !tokens.access_token) return;
      const refreshed: RefreshedTokens = {
        accessToken: tokens.access_token,
        refreshToken: tokens.refresh_token ?? this.auth.credentials.refresh_token ?? options.tokens.refreshToken,
        expiresAt: tokens.expiry_date ? new Date(tokens.expiry_date) : null,
      };
      const write = Promise.resolve().then(() => options.onTokens?.(refreshed));
      write.catch(() => {}); // awaited (and its error surfaced) in flushTokenWrites
      this.pendingTokenWrites.push(write);
    });
    this.concurrency = Math.max(1, options.concurrency ?? 8);
    this.getInterval = options.messagesPerSecond ? 1000 / options.messagesPerSecond : 0;
    this.gmail = google.gmail({
      version: "v1",
      auth: this.auth,
      rootUrl: resolveEndpoints(options.endpoints).gmailRootUrl,
      retryConfig: { retry: options.retries ?? 3 },
      timeout: options.timeoutMs ?? 30_000,
    });
  }

  private secrets(): (string | null | undefined)[] {
    return [this.auth.credentials.access_token, this.auth.credentials.refresh_token];
  }

  private async flushTokenWrites(): Promise<void> {
    const writes = this.pendingTokenWrites.splice(0);
    await Promise.all(writes);
  }

  /** Runs one Gmail call: maps its errors, and waits for any token refresh it caused to be stored. */
  private async call<T>(doing: string, run: () => Promise<T>, onError?: (error: AppError) => T | undefined): Promise<T> {
    let result: T;
    try {
      result = await traceGmailCall(doing, run);
    } catch (error) {
      await this.flushTokenWrites();
      const mapped = toGmailAppError(error, doing, this.secrets());
      const handled = onError?.(mapped);
      if (handled !== undefined) return handled;
      throw mapped;
    }
    await this.flushTokenWrites();
    return result;
  }

  async getProfile(): Promise<EmailProfile> {
    const { data } = await this.call("reading the profile", () => this.gmail.users.getProfile({ userId: USER }));
    return { emailAddress: data.emailAddress ?? "", historyId: data.historyId ?? "0", messagesTotal: data.messagesTotal ?? 0 };
  }

  async listMessageIds(options: ListMessagesOptions = {}): Promise<MessageListing> {
    const q = options.since ? `after:${Math.floor(options.since.getTime() / 1000)}` : undefined;
    const messages: MessageListing["messages"] = [];
    let pageToken = options.pageToken;
    for (let page = 0; options.maxPages === undefined || page < options.maxPages; page++) {
      const { data } = await this.call("listing messages", () =>
        this.gmail.users.messages.list({ userId: USER, q, labelIds: options.labelIds, maxResults: Math.min(options.pageSize ?? 500, 500), pageToken }),
      );
      for (const m of data.messages ?? []) if (m.id) messages.push({ id: m.id, threadId: m.threadId ?? m.id });
      pageToken = data.nextPageToken ?? undefined;
      if (!pageToken) break;
    }
    return { messages, nextPageToken: pageToken ?? null };
  }

  /** Spaces messages.get calls out to stay under messagesPerSecond. */
  private async paceGet(): Promise<void> {
    if (!this.getInterval) return;
    const now = performance.now();
    const at = Math.max(now, this.nextGetAt);
    this.nextGetAt = at + this.getInterval;
    if (at > now) await new Promise((resolve) => setTimeout(resolve, at - now));
  }

  async getRawMessages(ids: string[]): Promise<RawMessageBatch> {
    const found: (RawMessage | null)[] = new Array<RawMessage | null>(ids.length).fill(null);
    let next = 0;
    const worker = async () => {
      while (next < ids.length) {
        const index = next++;
        const id = ids[index]!;
        await this.paceGet();
        const data = await this.call<gmail_v1.Schema$Message | null>(
          `fetching message ${id}`,
          async () => (await this.gmail.users.messages.get({ userId: USER, id, format: "raw" })).data,
          (error) => (error.code === "not_found" ? null : undefined),
        );
        if (data) found[index] = toRawMessage(data);
      }
    };
    await Promise.all(Array.from({ length: Math.min(this.concurrency, ids.length) }, worker));
    return { messages: found.filter((m): m is RawMessage => m !== null), missing: ids.filter((_, i) => found[i] === null) };
  }

  async listHistory(startHistoryId: string): Promise<HistoryChanges> {
    const added = new Set<string>();
    const labelChanges: LabelChange[] = [];
    let historyId = startHistoryId;
    let pageToken: string | undefined;
    do {
      const { data } = await this.call(
        "reading the mailbox history",
        () =>
          this.gmail.users.history.list({
            userId: USER,
            startHistoryId,
            historyTypes: ["messageAdded", "labelAdded", "labelRemoved"],
            maxResults: 500,
            pageToken,
          }),
        (error) => {
          // Gmail answers 404 when the start id is older than the history it keeps.
          if (error.code === "not_found") throw new HistoryExpiredError(startHistoryId);
          return undefined;
        },
      );
      for (const record of data.history ?? []) {
        for (const { message } of record.messagesAdded ?? []) if (message?.id) added.add(message.id);
        for (const { message, labelIds } of record.labelsAdded ?? []) if (message?.id) labelChanges.push({ messageId: message.id, added: labelIds ?? [], removed: [] });
        for (const { message, labelIds } of record.labelsRemoved ?? []) if (message?.id) labelChanges.push({ messageId: message.id, added: [], removed: labelIds ?? [] });
      }
      historyId = data.historyId ?? historyId;
      pageToken = data.nextPageToken ?? undefined;
    } while (pageToken);
    return { historyId, addedMessageIds: [...added], labelChanges };
  }

  async getLabels(): Promise<EmailLabel[]> {
    const { data } = await this.call("listing labels", () => this.gmail.users.labels.list({ userId: USER }));
    return (data.labels ?? []).filter((l) => l.id && l.name).map((l) => ({ id: l.id!, name: l.name!, type: l.type === "system" ? "system" : "user" }));
  }

  async ensureLabel(name: string): Promise<EmailLabel> {
    const find = (labels: EmailLabel[]) => labels.find((l) => l.name.toLowerCase() === name.trim().toLowerCase());
    const existing = find(await this.getLabels());
    if (existing) return existing;
    const created = await this.call(
      `creating the label "${name}"`,
      async () => (await this.gmail.users.labels.create({ userId: USER, requestBody: { name: name.trim(), labelListVisibility: "labelShow", messageListVisibility: "show" } })).data,
      // 409: created meanwhile (another sync); read it back below.
      (error) => (error.details && (error.details as { status?: number }).status === 409 ? null : undefined),
    );
    if (created?.id && created.name) return { id: created.id, name: created.name, type: "user" };
    const raced = find(await this.getLabels());
    if (!raced) throw new AppError("bad_gateway", `Gmail neither created nor listed the label "${name}".`);
    return raced;
  }

  async getMessageLabels(messageId: string): Promise<string[]> {
    const { data } = await this.call(`reading the labels of message ${messageId}`, () =>
      this.gmail.users.messages.get({ userId: USER, id: messageId, format: "minimal" }),
    );
    return data.labelIds ?? [];
  }

  async modifyLabels(messageId: string, add: string[], remove: string[]): Promise<string[]> {
    const { data } = await this.call(`changing the labels of message ${messageId}`, () =>
      this.gmail.users.messages.modify({ userId: USER, id: messageId, requestBody: { addLabelIds: add, removeLabelIds: remove } }),
    );
    return data.labelIds ?? [];
  }

  async modifyLabelsMany(messageIds: string[], add: string[], remove: string[]): Promise<void> {
    for (let i = 0; i < messageIds.length; i += MAX_BATCH_MODIFY) {
      const ids = messageIds.slice(i, i + MAX_BATCH_MODIFY);
      await this.call(`changing the labels of ${ids.length} messages`, () =>
        this.gmail.users.messages.batchModify({ userId: USER, requestBody: { ids, addLabelIds: add, removeLabelIds: remove } }),
      );
    }
  }

  async watch(topicName: string, labelIds?: string[]): Promise<WatchResult> {
    const { data } = await this.call("starting push notifications", () =>
      this.gmail.users.watch({ userId: USER, requestBody: { topicName, labelIds, labelFilterBehavior: labelIds?.length ? "include" : undefined } }),
    );
    return { historyId: data.historyId ?? "0", expiresAt: new Date(Number(data.expiration ?? 0)) };
  }

  async stop(): Promise<void> {
    await this.call("stopping push notifications", () => this.gmail.users.stop({ userId: USER }));
  }

  // Drafts. A create or send is not idempotent at Gmail, so googleapis' retries never repeat them:
  // they only retry GET/DELETE. Callers guard against duplicates (see lib/approvals/reply-drafts.ts).

  async createDraft(raw: Buffer, threadId?: string): Promise<DraftRef> {
    const { data } = await this.call("saving a draft", () =>
      this.gmail.users.drafts.create({ userId: USER, requestBody: { message: { raw: raw.toString("base64url"), threadId } } }),
    );
    return toDraftRef(data);
  }

  async getDraft(draftId: string): Promise<Draft | null> {
    const data = await this.call<gmail_v1.Schema$Draft | null>(
      `reading draft ${draftId}`,
      async () => (await this.gmail.users.drafts.get({ userId: USER, id: draftId, format: "raw" })).data,
      (error) => (error.code === "not_found" ? null : undefined),
    );
    if (!data) return null;
    return { ...toDraftRef(data), raw: Buffer.from(data.message?.raw ?? "", "base64url") };
  }

  async listDrafts(): Promise<DraftRef[]> {
    const drafts: DraftRef[] = [];
    let pageToken: string | undefined;
    do {
      const { data } = await this.call("listing drafts", () => this.gmail.users.drafts.list({ userId: USER, maxResults: 500, pageToken }));
      for (const draft of data.drafts ?? []) drafts.push(toDraftRef(draft));
      pageToken = data.nextPageToken ?? undefined;
    } while (pageToken);
    return drafts;
  }

  async deleteDraft(draftId: string): Promise<boolean> {
    return this.call(
      `deleting draft ${draftId}`,
      async () => {
        await this.gmail.users.drafts.delete({ userId: USER, id: draftId });
        return true;
      },
      (error) => (error.code === "not_found" ? false : undefined),
    );
  }

  async sendDraft(draftId: string): Promise<{ messageId: string; threadId: string }> {
    const { data } = await this.call(`sending draft ${draftId}`, () => this.gmail.users.drafts.send({ userId: USER, requestBody: { id: draftId } }));
    return { messageId: data.id ?? "", threadId: data.threadId ?? data.id ?? "" };
  }
}

function toDraftRef(data: gmail_v1.Schema$Draft): DraftRef {
  return { draftId: data.id ?? "", messageId: data.message?.id ?? "", threadId: data.message?.threadId ?? data.message?.id ?? "" };
}

function toRawMessage(data: gmail_v1.Schema$Message): RawMessage {
  return {
    id: data.id ?? "",
    threadId: data.threadId ?? data.id ?? "",
    labelIds: data.labelIds ?? [],
    historyId: data.historyId ?? "0",
    receivedAt: new Date(Number(data.internalDate ?? 0)),
    sizeEstimate: data.sizeEstimate ?? 0,
    raw: Buffer.from(data.raw ?? "", "base64url"),
  };
}
