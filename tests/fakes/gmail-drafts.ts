import type { ServerResponse } from "node:http";
import type { FakeMessage, Mailbox } from "./gmail-mailbox";
import { messageRef } from "./gmail-mailbox";
import { sendJson } from "./http";

// users.drafts.* for the fake Gmail: create, get (raw/minimal), list, delete and send. A draft is not
// part of the mailbox's messages until it is sent; sending it moves it to `sent` (label SENT, in the
// draft's thread) with a history record, as Gmail does, and the draft is gone.

export type DraftIds = { nextMessageId(): string; nextDraftId(): string; nextHistoryId(): number };

type Reply = { notFound(): void; invalid(message: string): void };

function draftResource(draft: { id: string; message: FakeMessage }, format: string) {
  const message = { id: draft.message.id, threadId: draft.message.threadId, labelIds: draft.message.labelIds };
  return { id: draft.id, message: format === "raw" ? { ...message, raw: draft.message.raw.toString("base64url") } : message };
}

/** Handles `rest` (the path after /users/<id>/) when it starts with "drafts"; false otherwise. */
export function handleDrafts(
  box: Mailbox,
  method: string,
  rest: string[],
  body: Record<string, unknown>,
  query: Record<string, string | string[]>,
  res: ServerResponse,
  ids: DraftIds,
  reply: Reply,
): boolean {
  if (rest[0] !== "drafts") return false;
  const route = `${method} ${rest.join("/")}`;
  if (route === "POST drafts") {
    const message = (body.message ?? {}) as { raw?: string; threadId?: string };
    if (!message.raw) return (reply.invalid("Missing draft message"), true);
    const threadId = message.threadId && [...box.messages.values()].some((m) => m.threadId === message.threadId) ? message.threadId : undefined;
    const id = ids.nextMessageId();
    const fake: FakeMessage = { id, threadId: threadId ?? id, labelIds: ["DRAFT"], raw: Buffer.from(message.raw, "base64url"), internalDate: Date.now(), historyId: ids.nextHistoryId() };
    const draft = { id: ids.nextDraftId(), message: fake };
    box.drafts.set(draft.id, draft);
    sendJson(res, 200, draftResource(draft, "minimal"));
  } else if (route === "GET drafts") {
    const drafts = [...box.drafts.values()].map((d) => draftResource(d, "minimal"));
    sendJson(res, 200, drafts.length ? { drafts, resultSizeEstimate: drafts.length } : { resultSizeEstimate: 0 });
  } else if (route === "POST drafts/send") {
    const draft = box.drafts.get(String(body.id ?? ""));
    if (!draft) return (reply.notFound(), true);
    box.drafts.delete(draft.id);
    const sent: FakeMessage = { ...draft.message, labelIds: ["SENT"], historyId: ids.nextHistoryId(), internalDate: Date.now() };
    box.messages.set(sent.id, sent);
    box.sent.push(sent);
    box.history.push({ id: sent.historyId, messagesAdded: [{ message: messageRef(sent) }] });
    sendJson(res, 200, { id: sent.id, threadId: sent.threadId, labelIds: sent.labelIds });
  } else if (rest.length === 2 && (method === "GET" || method === "DELETE")) {
    const draft = box.drafts.get(rest[1]!);
    if (!draft) return (reply.notFound(), true);
    if (method === "GET") sendJson(res, 200, draftResource(draft, String(query.format ?? "full")));
    else {
      box.drafts.delete(draft.id);
      sendJson(res, 204);
    }
  } else reply.notFound();
  return true;
}
