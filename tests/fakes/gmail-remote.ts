import type { IncomingMessage, ServerResponse } from "node:http";
import type { FakeWatch } from "./gmail-mailbox";
import type { FakeGmail } from "./gmail-server";
import { readBody, sendJson } from "./http";

// The fake Gmail as a browser and another process see it: Google's consent screen (which approves at
// once and redirects back with a code), and /__control endpoints through which tests drive a fake
// running in the e2e global setup:
//   POST /__control/messages {"email"?, "raws": [...], "labelIds"?}  → {"ids": [...]}
//   GET  /__control/message/<id>?email=…                           → {"labelIds": [...]}
//   GET  /__control/state?email=…                                  → {"email", "historyId", "watch"}
//   GET  /__control/outbox?email=…                                 → {"drafts": [...], "sent": [...]}

const GMAIL_MODIFY = "https://www.googleapis.com/auth/gmail.modify";
export const CONTROL_PREFIX = "/__control/";

/** GET /auth?client_id&redirect_uri&response_type=code&scope&state[&login_hint]: the user consents at once. */
export function handleConsent(fake: FakeGmail, url: URL, res: ServerResponse): void {
  const q = url.searchParams;
  const refuse = (error: string, description: string) => sendJson(res, 400, { error, error_description: description });
  if (q.get("client_id") !== fake.clientId) return refuse("invalid_client", "The OAuth client was not found.");
  if (q.get("response_type") !== "code") return refuse("unsupported_response_type", "response_type must be code");
  if (!(q.get("scope") ?? "").split(/\s+/).includes(GMAIL_MODIFY)) return refuse("invalid_scope", `The scope must include ${GMAIL_MODIFY}`);
  let target: URL;
  try {
    target = new URL(q.get("redirect_uri") ?? "");
  } catch {
    return refuse("redirect_uri_mismatch", "redirect_uri is missing or not a URL");
  }
  if (!/^https?:$/.test(target.protocol)) return refuse("redirect_uri_mismatch", "redirect_uri must be http(s)");
  target.searchParams.set("code", fake.issueCode(q.get("login_hint")?.trim().toLowerCase() || undefined));
  const state = q.get("state");
  if (state !== null) target.searchParams.set("state", state);
  res.writeHead(302, { location: target.toString() }).end();
}

export async function handleControl(fake: FakeGmail, req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
  const route = `${req.method} ${url.pathname.slice(CONTROL_PREFIX.length)}`;
  const email = url.searchParams.get("email") ?? undefined;
  if (route === "POST messages") {
    const body = JSON.parse((await readBody(req)) || "{}") as { email?: string; raws?: unknown; labelIds?: unknown };
    if (!Array.isArray(body.raws) || !body.raws.every((r) => typeof r === "string")) return sendJson(res, 400, { error: "raws must be an array of strings" });
    const labelIds = Array.isArray(body.labelIds) ? body.labelIds.map(String) : undefined;
    const added = fake.addMessages(body.raws as string[], labelIds, { email: body.email });
    return sendJson(res, 200, { ids: added.map((m) => m.id) });
  }
  const messageId = /^GET message\/([^/]+)$/.exec(route)?.[1];
  if (messageId) {
    const message = fake.message(decodeURIComponent(messageId), email);
    return message ? sendJson(res, 200, { labelIds: message.labelIds }) : sendJson(res, 404, { error: `No message ${messageId}` });
  }
  if (route === "GET outbox") {
    const view = (m: { id: string; threadId: string; raw: Buffer }) => ({ id: m.id, threadId: m.threadId, raw: m.raw.toString("utf8") });
    return sendJson(res, 200, { drafts: fake.drafts(email).map((d) => ({ ...view(d.message), id: d.id })), sent: fake.sent(email).map(view) });
  }
  if (route === "GET state") return sendJson(res, 200, { email: email ?? fake.email, historyId: fake.historyId(email), watch: fake.watchOf(email) });
  sendJson(res, 404, { error: `No control route ${route}` });
}

/** Drives a fake Gmail running in another process (the e2e global setup); `url` is its root URL. */
export function remoteFakeGmail(url: string) {
  const root = url.replace(/\/+$/, "");
  async function call<T>(path: string, init?: RequestInit): Promise<T> {
    const res = await fetch(`${root}${CONTROL_PREFIX}${path}`, init);
    if (!res.ok) throw new Error(`fake Gmail ${init?.method ?? "GET"} ${path}: ${res.status} ${await res.text()}`);
    return res.json() as Promise<T>;
  }
  const query = (email?: string) => (email ? `?email=${encodeURIComponent(email)}` : "");
  return {
    /** The consent screen, as GOOGLE_AUTH_URL. */
    authUrl: `${root}/auth`,
    async addMessages(raws: string[], options: { email?: string; labelIds?: string[] } = {}): Promise<string[]> {
      const body = JSON.stringify({ raws, ...options });
      return (await call<{ ids: string[] }>("messages", { method: "POST", headers: { "content-type": "application/json" }, body })).ids;
    },
    /** A message's labels now; null when there is no such message. */
    async message(id: string, email?: string): Promise<{ labelIds: string[] } | null> {
      const res = await fetch(`${root}${CONTROL_PREFIX}message/${encodeURIComponent(id)}${query(email)}`);
      if (res.status === 404) return null;
      if (!res.ok) throw new Error(`fake Gmail message ${id}: ${res.status}`);
      return (await res.json()) as { labelIds: string[] };
    },
    /** Drafts now in the mailbox and every message sent from it (raw as text). */
    outbox: (email?: string) =>
      call<{ drafts: { id: string; threadId: string; raw: string }[]; sent: { id: string; threadId: string; raw: string }[] }>(`outbox${query(email)}`),
    state: (email?: string) => call<{ email: string; historyId: number; watch: FakeWatch | null }>(`state${query(email)}`),
  };
}
