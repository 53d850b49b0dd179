import { randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { createMailbox, historySince, matchesQuery, messageRef, type FakeDraft, type FakeLabel, type FakeMessage, type FakeWatch, type HistoryRecord, type Mailbox } from "./gmail-mailbox";
import { handleDrafts } from "./gmail-drafts";
import { messageResource } from "./gmail-mime";
import { CONTROL_PREFIX, handleConsent, handleControl } from "./gmail-remote";
import { readBody, sendJson } from "./http";
import { readCorpus, type CorpusFolder } from "@/lib/triage/corpus";

// A fake Gmail API and Google OAuth token endpoint in one server on 127.0.0.1, so the real googleapis
// and google-auth-library clients run in tests: point `google.gmail({ rootUrl })` at `url` and the
// OAuth2 client's token/revoke endpoints at `tokenUrl`/`revokeUrl`. `authUrl` is a consent screen
// that approves at once, and /__control drives the fake from another process (gmail-remote.ts).
//
// It keeps one mailbox per account (keyed by the email the access token was issued for), a history id
// that only grows, and history records like Gmail's. Every API call needs a live `Bearer` token
// (401 otherwise), so refresh on expiry can be tested. Only what the email provider uses is modelled.

export type { FakeDraft, FakeLabel, FakeMessage } from "./gmail-mailbox";

export type RecordedGmailRequest = {
  method: string;
  path: string;
  query: Record<string, string | string[]>;
  body: unknown;
  authorization: string | null;
};

export type FakeGmail = {
  /** Root URL for `google.gmail({ rootUrl })`, ending in `/`. */
  url: string;
  tokenUrl: string;
  revokeUrl: string;
  /** Google's consent screen: redirects straight back to redirect_uri with a code for the account. */
  authUrl: string;
  clientId: string;
  clientSecret: string;
  /** The default account's address. */
  email: string;
  /** A one-time authorization code for the account, as Google's consent screen would redirect with. */
  issueCode(email?: string): string;
  /** Tokens straight away, as after a completed consent (the shape GmailProvider takes). */
  issueTokens(email?: string): { accessToken: string; refreshToken: string; expiresAt: Date };
  addMessage(raw: string | Buffer, labelIds?: string[], options?: { email?: string; threadId?: string; internalDate?: number }): FakeMessage;
  /** Loads many messages at once (one history record for all of them). */
  addMessages(raws: (string | Buffer)[], labelIds?: string[], options?: { email?: string; internalDate?: number }): FakeMessage[];
  /** Loads the first `count` SpamAssassin corpus messages into INBOX (for backfill benchmarks). */
  loadCorpus(count: number, options?: { email?: string; folders?: readonly CorpusFolder[] }): Promise<FakeMessage[]>;
  message(id: string, email?: string): FakeMessage | undefined;
  labels(email?: string): FakeLabel[];
  historyId(email?: string): number;
  watchOf(email?: string): FakeWatch | null;
  /** The drafts now in the mailbox (users.drafts.*). */
  drafts(email?: string): FakeDraft[];
  /** Every message sent from the mailbox (drafts.send), in order. */
  sent(email?: string): FakeMessage[];
  /** Drops all history so far, like Gmail does after about a week: older start ids then answer 404. */
  expireHistory(email?: string): void;
  /** Every access token issued so far stops working (the client believes it is still valid). */
  expireAccessTokens(): void;
  /** The refresh token stops working, as when the user removes the app's access. */
  revokeRefreshToken(refreshToken: string): void;
  /** The next `times` API calls (not token calls) answer this status. */
  failNext(status: number, times?: number): void;
  /** Most API calls seen in flight at once (meaningful with `latencyMs`). */
  peakInFlight(): number;
  requests: RecordedGmailRequest[];
  tokenRequests: { grantType: string; authorization: string | null }[];
  close(): Promise<void>;
};

const ACCESS_TOKEN_SECONDS = 3600;
const PREFIX = "/gmail/v1/users/";

/** Gmail's error shape: `{ error: { code, message, errors: [{ reason }], status } }`. */
function gmailError(res: ServerResponse, code: number, message: string, reason: string): void {
  const status = { 400: "INVALID_ARGUMENT", 401: "UNAUTHENTICATED", 403: "PERMISSION_DENIED", 404: "NOT_FOUND", 409: "ALREADY_EXISTS", 429: "RESOURCE_EXHAUSTED" }[code] ?? "INTERNAL";
  sendJson(res, code, { error: { code, message, errors: [{ message, domain: "global", reason }], status } });
}

const token = (prefix: string) => `${prefix}${randomBytes(18).toString("base64url")}`;
/** The app's settings for talking to this fake: its OAuth client, consent screen, token endpoint and API. */
export function googleEnv(fake: Pick<FakeGmail, "clientId" | "clientSecret" | "url" | "tokenUrl" | "authUrl">): Record<string, string> {
  return {
    GOOGLE_CLIENT_ID: fake.clientId,
    GOOGLE_CLIENT_SECRET: fake.clientSecret,
    GMAIL_API_URL: fake.url,
    GOOGLE_TOKEN_URL: fake.tokenUrl,
    GOOGLE_AUTH_URL: fake.authUrl,
  };
}


export async function startFakeGmail(
  options: { email?: string; clientId?: string; clientSecret?: string; /** Delay before each API answer, like a network round trip. */ latencyMs?: number } = {},
): Promise<FakeGmail> {
  const defaultEmail = options.email ?? "me@example.com";
  const clientId = options.clientId ?? "fake-client-id.apps.googleusercontent.com";
  const clientSecret = options.clientSecret ?? "fake-client-secret";
  const mailboxes = new Map<string, Mailbox>();
  const accessTokens = new Map<string, { email: string; expiresAt: number }>();
  const refreshTokens = new Map<string, string>();
  const codes = new Map<string, string>();
  const requests: RecordedGmailRequest[] = [];
  const tokenRequests: FakeGmail["tokenRequests"] = [];
  const failures: number[] = [];
  let historyCounter = 1000;
  let idCounter = 0x18c0_0000_0000;
  let labelCounter = 0;
  let draftCounter = 0;
  const draftIds = {
    nextMessageId: () => (++idCounter).toString(16),
    nextDraftId: () => `r-${++draftCounter}`,
    nextHistoryId: () => ++historyCounter,
  };
  let inFlight = 0;
  let peak = 0;

  function mailbox(email = defaultEmail): Mailbox {
    let box = mailboxes.get(email);
    if (!box) {
      box = createMailbox(email, historyCounter);
      mailboxes.set(email, box);
    }
    return box;
  }

  function insert(box: Mailbox, raws: (string | Buffer)[], labelIds: string[], at: { threadId?: string; internalDate?: number }): FakeMessage[] {
    const historyId = ++historyCounter;
    const added = raws.map((raw) => {
      const id = (++idCounter).toString(16);
      const message: FakeMessage = { id, threadId: at.threadId ?? id, labelIds: [...labelIds], raw: Buffer.isBuffer(raw) ? raw : Buffer.from(raw), internalDate: at.internalDate ?? Date.now(), historyId };
      box.messages.set(id, message);
      return message;
    });
    box.history.push({ id: historyId, messagesAdded: added.map((m) => ({ message: messageRef(m) })) });
    return added;
  }

  function modify(box: Mailbox, message: FakeMessage, add: string[], remove: string[]): void {
    const added = add.filter((l) => !message.labelIds.includes(l));
    const removed = remove.filter((l) => message.labelIds.includes(l) && !add.includes(l));
    if (!added.length && !removed.length) return;
    message.labelIds = [...message.labelIds.filter((l) => !removed.includes(l)), ...added];
    message.historyId = ++historyCounter;
    const record: HistoryRecord = { id: message.historyId };
    if (added.length) record.labelsAdded = [{ message: messageRef(message), labelIds: added }];
    if (removed.length) record.labelsRemoved = [{ message: messageRef(message), labelIds: removed }];
    box.history.push(record);
  }

  function issue(email: string) {
    const accessToken = token("ya29.fake-");
    const refreshToken = token("1//fake-");
    const expiresAt = Date.now() + ACCESS_TOKEN_SECONDS * 1000;
    accessTokens.set(accessToken, { email, expiresAt });
    refreshTokens.set(refreshToken, email);
    return { accessToken, refreshToken, expiresAt };
  }

  async function handleToken(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const form = new URLSearchParams(await readBody(req));
    const grantType = form.get("grant_type") ?? "";
    tokenRequests.push({ grantType, authorization: req.headers.authorization ?? null });
    const basic = req.headers.authorization?.startsWith("Basic ") ? Buffer.from(req.headers.authorization.slice(6), "base64").toString().split(":") : [];
    const [id, secret] = [form.get("client_id") ?? basic[0], form.get("client_secret") ?? basic[1]];
    if (id !== clientId || secret !== clientSecret) {
      sendJson(res, 401, { error: "invalid_client", error_description: "The OAuth client was not found." });
      return;
    }
    let email: string | undefined;
    let refreshToken: string | undefined;
    if (grantType === "authorization_code") {
      email = codes.get(form.get("code") ?? "");
      codes.delete(form.get("code") ?? "");
    } else if (grantType === "refresh_token") {
      email = refreshTokens.get(form.get("refresh_token") ?? "");
    } else {
      sendJson(res, 400, { error: "unsupported_grant_type", error_description: `Invalid grant_type: ${grantType}` });
      return;
    }
    if (!email) {
      sendJson(res, 400, { error: "invalid_grant", error_description: grantType === "refresh_token" ? "Token has been expired or revoked." : "Malformed auth code." });
      return;
    }
    const tokens = issue(email);
    if (grantType === "authorization_code") refreshToken = tokens.refreshToken;
    else refreshTokens.delete(tokens.refreshToken);
    sendJson(res, 200, {
      access_token: tokens.accessToken,
      expires_in: ACCESS_TOKEN_SECONDS,
      scope: "https://www.googleapis.com/auth/gmail.modify",
      token_type: "Bearer",
      ...(refreshToken ? { refresh_token: refreshToken } : {}),
    });
  }

  async function handleApi(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    const text = req.method === "POST" ? await readBody(req) : "";
    // googleapis sends drafts.send's body as JSON too; anything else here is a bug in the caller.
    const body = (text ? JSON.parse(text) : {}) as Record<string, unknown>;
    const query: Record<string, string | string[]> = {};
    for (const key of new Set(url.searchParams.keys())) {
      const all = url.searchParams.getAll(key);
      query[key] = all.length > 1 ? all : all[0]!;
    }
    requests.push({ method: req.method ?? "GET", path: url.pathname, query, body: text ? body : undefined, authorization: req.headers.authorization ?? null });

    const bearer = /^Bearer (.+)$/.exec(req.headers.authorization ?? "")?.[1];
    const session = bearer ? accessTokens.get(bearer) : undefined;
    if (!session || session.expiresAt <= Date.now()) {
      gmailError(res, 401, "Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential.", "authError");
      return;
    }
    const failure = failures.shift();
    if (failure) {
      gmailError(res, failure, failure === 429 ? "Too many concurrent requests for user." : `Scripted failure ${failure}`, failure === 429 ? "rateLimitExceeded" : "backendError");
      return;
    }
    const [userId = "", ...rest] = url.pathname.slice(PREFIX.length).split("/").map(decodeURIComponent);
    if (userId !== "me" && userId !== session.email) {
      gmailError(res, 403, "Delegation denied", "forbidden");
      return;
    }
    const box = mailbox(session.email);
    const route = `${req.method} ${rest.join("/")}`;
    const list = (key: string) => [query[key] ?? []].flat();
    const notFound = () => gmailError(res, 404, "Requested entity was not found.", "notFound");

    if (handleDrafts(box, req.method ?? "GET", rest, body, query, res, draftIds, { notFound, invalid: (m) => gmailError(res, 400, m, "invalidArgument") })) {
      return;
    } else if (route === "GET profile") {
      sendJson(res, 200, { emailAddress: box.email, messagesTotal: box.messages.size, threadsTotal: box.messages.size, historyId: String(historyCounter) });
    } else if (route === "GET messages") {
      const labelIds = list("labelIds");
      const hidden = query.includeSpamTrash === "true" ? [] : ["SPAM", "TRASH"];
      const matching = [...box.messages.values()]
        .filter((m) => labelIds.every((l) => m.labelIds.includes(l)) && !m.labelIds.some((l) => hidden.includes(l) && !labelIds.includes(l)))
        .filter((m) => matchesQuery(m, String(query.q ?? ""), box.labels))
        .sort((a, b) => b.internalDate - a.internalDate || (a.id < b.id ? 1 : -1));
      const start = Number(query.pageToken ?? 0);
      const size = Math.min(Number(query.maxResults ?? 100), 500);
      const page = matching.slice(start, start + size);
      sendJson(res, 200, {
        ...(page.length ? { messages: page.map((m) => ({ id: m.id, threadId: m.threadId })) } : {}),
        ...(start + size < matching.length ? { nextPageToken: String(start + size) } : {}),
        resultSizeEstimate: matching.length,
      });
    } else if (route === "POST messages/batchModify") {
      const ids = (body.ids as string[] | undefined) ?? [];
      if (ids.length > 1000) return gmailError(res, 400, "Too many ids", "invalidArgument");
      for (const id of ids) {
        const message = box.messages.get(id);
        if (message) modify(box, message, (body.addLabelIds as string[]) ?? [], (body.removeLabelIds as string[]) ?? []);
      }
      sendJson(res, 204);
    } else if (rest[0] === "messages" && rest.length >= 2) {
      const message = box.messages.get(rest[1]!);
      if (!message) return notFound();
      if (req.method === "POST" && rest[2] === "modify") {
        const add = (body.addLabelIds as string[] | undefined) ?? [];
        const unknown = add.find((l) => !box.labels.some((label) => label.id === l));
        if (unknown) return gmailError(res, 400, `Invalid label: ${unknown}`, "invalidArgument");
        modify(box, message, add, (body.removeLabelIds as string[] | undefined) ?? []);
        sendJson(res, 200, { id: message.id, threadId: message.threadId, labelIds: message.labelIds });
      } else if (req.method === "GET" && rest.length === 2) {
        sendJson(res, 200, messageResource(message, String(query.format ?? "full"), list("metadataHeaders")));
      } else notFound();
    } else if (route === "GET history") {
      const start = Number(query.startHistoryId);
      if (!Number.isFinite(start) || !query.startHistoryId) return gmailError(res, 400, "Invalid startHistoryId", "invalidArgument");
      if (start < box.oldestHistoryId) return notFound();
      const records = historySince(box, start, list("historyTypes"));
      const offset = Number(query.pageToken ?? 0);
      const size = Math.min(Number(query.maxResults ?? 100), 500);
      const page = records.slice(offset, offset + size).map((r) => ({
        ...r,
        id: String(r.id),
        messages: [...(r.messagesAdded ?? []), ...(r.labelsAdded ?? []), ...(r.labelsRemoved ?? [])].map((e) => ({ id: e.message.id, threadId: e.message.threadId })),
      }));
      sendJson(res, 200, {
        ...(page.length ? { history: page } : {}),
        ...(offset + size < records.length ? { nextPageToken: String(offset + size) } : {}),
        historyId: String(historyCounter),
      });
    } else if (route === "GET labels") {
      sendJson(res, 200, { labels: box.labels });
    } else if (route === "POST labels") {
      const name = String(body.name ?? "").trim();
      if (!name) return gmailError(res, 400, "Invalid label name", "invalidArgument");
      if (box.labels.some((l) => l.name.toLowerCase() === name.toLowerCase())) return gmailError(res, 409, "Label name exists or conflicts", "duplicate");
      const label: FakeLabel = { id: `Label_${++labelCounter}`, name, type: "user" };
      box.labels.push(label);
      sendJson(res, 200, label);
    } else if (route === "POST watch") {
      const topicName = String(body.topicName ?? "");
      if (!/^projects\/[^/]+\/topics\/[^/]+$/.test(topicName)) return gmailError(res, 400, "Invalid topicName does not match projects/*/topics/*", "invalidArgument");
      box.watch = { topicName, labelIds: (body.labelIds as string[] | undefined) ?? [], expiration: Date.now() + 7 * 86_400_000 };
      sendJson(res, 200, { historyId: String(historyCounter), expiration: String(box.watch.expiration) });
    } else if (route === "POST stop") {
      box.watch = null;
      sendJson(res, 204);
    } else notFound();
  }

  const server = createServer(async (req, res) => {
    try {
      const url = new URL(req.url ?? "/", "http://127.0.0.1");
      if (req.method === "POST" && url.pathname === "/token") return await handleToken(req, res);
      if (req.method === "POST" && url.pathname === "/revoke") {
        const revoked = url.searchParams.get("token") ?? new URLSearchParams(await readBody(req)).get("token") ?? "";
        refreshTokens.delete(revoked);
        accessTokens.delete(revoked);
        return sendJson(res, 200, {});
      }
      if (req.method === "GET" && url.pathname === "/auth") return handleConsent(fake, url, res);
      if (url.pathname.startsWith(CONTROL_PREFIX)) return await handleControl(fake, req, res, url);
      if (url.pathname.startsWith(PREFIX)) {
        peak = Math.max(peak, ++inFlight);
        try {
          if (options.latencyMs) await new Promise((r) => setTimeout(r, options.latencyMs));
          return await handleApi(req, res, url);
        } finally {
          inFlight--;
        }
      }
      gmailError(res, 404, `No route ${req.method} ${url.pathname}`, "notFound");
    } catch (error) {
      if (!res.headersSent) gmailError(res, 500, error instanceof Error ? error.message : "fake server error", "backendError");
      else res.end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  const root = `http://127.0.0.1:${port}`;
  mailbox(defaultEmail);

  const fake: FakeGmail = {
    url: `${root}/`,
    tokenUrl: `${root}/token`,
    revokeUrl: `${root}/revoke`,
    authUrl: `${root}/auth`,
    clientId,
    clientSecret,
    email: defaultEmail,
    issueCode(email = defaultEmail) {
      mailbox(email);
      const code = token("4/fake-code-");
      codes.set(code, email);
      return code;
    },
    issueTokens(email = defaultEmail) {
      mailbox(email);
      const tokens = issue(email);
      return { ...tokens, expiresAt: new Date(tokens.expiresAt) };
    },
    addMessage: (raw, labelIds = ["INBOX", "UNREAD"], at = {}) => insert(mailbox(at.email), [raw], labelIds, at)[0]!,
    addMessages: (raws, labelIds = ["INBOX", "UNREAD"], at = {}) => insert(mailbox(at.email), raws, labelIds, at),
    async loadCorpus(count, at = {}) {
      const raws: Buffer[] = [];
      for await (const message of readCorpus(at.folders)) {
        if (raws.length >= count) break;
        raws.push(message.raw);
      }
      return insert(mailbox(at.email), raws, ["INBOX", "UNREAD"], {});
    },
    message: (id, email) => mailbox(email).messages.get(id),
    labels: (email) => mailbox(email).labels,
    historyId: () => historyCounter,
    watchOf: (email) => mailbox(email).watch,
    drafts: (email) => [...mailbox(email).drafts.values()],
    sent: (email) => [...mailbox(email).sent],
    expireHistory(email) {
      const box = mailbox(email);
      box.history = [];
      box.oldestHistoryId = historyCounter;
    },
    expireAccessTokens() {
      for (const session of accessTokens.values()) session.expiresAt = 0;
    },
    revokeRefreshToken: (refreshToken) => void refreshTokens.delete(refreshToken),
    failNext: (status, times = 1) => failures.push(...Array<number>(times).fill(status)),
    peakInFlight: () => peak,
    requests,
    tokenRequests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  return fake;
}
