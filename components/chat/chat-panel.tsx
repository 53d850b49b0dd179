"use client";

import { useChat } from "@ai-sdk/react";
import { DefaultChatTransport, lastAssistantMessageIsCompleteWithApprovalResponses } from "ai";
import { useEffect, useMemo, useRef, useState } from "react";
import { Button, Spinner } from "@/components/ui/button";
import type { AreaSummary, ChatMessage, ToolLabels } from "@/lib/chat/messages";
import { useChatStore } from "@/lib/stores/chat-store";
import { MessageView, Thinking } from "./message-parts";

// One conversation: the messages (streamed as they are produced, through the AI SDK's useChat),
// the composer, and the stop button. A new conversation is created on the first message; only
// the new message (or the answers to approvals) is sent, the server keeps the history.

type Props = {
  area: AreaSummary;
  conversationId: string | null;
  initialMessages: ChatMessage[];
  labels: ToolLabels;
};

function respondedApprovals(messages: ChatMessage[]): string[] {
  return messages.flatMap((m) =>
    m.parts.flatMap((p) => ("approval" in p && p.approval && p.state !== "approval-requested" ? [p.approval.id] : [])),
  );
}

async function errorMessageOf(res: Response): Promise<string> {
  const body = (await res.json().catch(() => null)) as { error?: { message?: string } } | null;
  return body?.error?.message ?? `The request failed (HTTP ${res.status})`;
}

/** Sends only what is new: the owner's message, or the approvals answered since the last request. */
/** What the transport needs when it sends: the conversation (created on the first message) and
 *  the approvals already sent. Read at send time, never during render. */
class TransportState {
  readonly sentApprovals: Set<string>;
  constructor(
    public conversationId: string | null,
    initialMessages: ChatMessage[],
  ) {
    this.sentApprovals = new Set(respondedApprovals(initialMessages));
  }
  adopt(conversationId: string): void {
    this.conversationId = conversationId;
  }
}

function chatTransport(state: TransportState) {
  return new DefaultChatTransport<ChatMessage>({
    api: "/api/chat",
    prepareSendMessagesRequest({ messages }) {
      const last = messages.at(-1)!;
      if (last.role === "user") {
        const text = last.parts.map((p) => (p.type === "text" ? p.text : "")).join("");
        return { body: { conversationId: state.conversationId, message: { id: last.id, text } } };
      }
      const approvals = last.parts.flatMap((p) =>
        "approval" in p && p.approval && p.state === "approval-responded" && !state.sentApprovals.has(p.approval.id)
          ? [{ id: p.approval.id, approved: Boolean(p.approval.approved), reason: p.approval.reason }]
          : [],
      );
      for (const a of approvals) state.sentApprovals.add(a.id);
      return { body: { conversationId: state.conversationId, approvals } };
    },
  });
}

export function ChatPanel({ area, conversationId, initialMessages, labels }: Props) {
  const [transportState] = useState(() => new TransportState(conversationId, initialMessages));
  const draftKey = conversationId ?? `new:${area.slug}`;
  const draft = useChatStore((s) => s.drafts[draftKey] ?? "");
  const setDraft = useChatStore((s) => s.setDraft);
  const refreshList = useChatStore((s) => s.refresh);
  const setStartedTitle = useChatStore((s) => s.setStartedTitle);
  const [input, setInput] = useState(draft);
  const [startError, setStartError] = useState<string | null>(null);
  const [creating, setCreating] = useState(false);
  const bottom = useRef<HTMLDivElement>(null);

  const transport = useMemo(() => chatTransport(transportState), [transportState]);

  const { messages, sendMessage, status, stop, error, addToolApprovalResponse, clearError } = useChat<ChatMessage>({
    id: conversationId ?? undefined,
    messages: initialMessages,
    transport,
    sendAutomaticallyWhen: lastAssistantMessageIsCompleteWithApprovalResponses,
    onFinish: () => void refreshList(),
  });

  const busy = status === "submitted" || status === "streaming" || creating;

  useEffect(() => {
    bottom.current?.scrollIntoView({ block: "end" });
  }, [messages, status]);

  async function ensureConversation(): Promise<string | null> {
    if (transportState.conversationId) return transportState.conversationId;
    setCreating(true);
    try {
      const res = await fetch("/api/conversations", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ area: area.slug }),
      });
      if (!res.ok) throw new Error(await errorMessageOf(res));
      const { conversation: created } = (await res.json()) as { conversation: { id: string } };
      transportState.adopt(created.id);
      // The address becomes the conversation's own, without reloading the page.
      window.history.replaceState(null, "", `/chat/${created.id}`);
      return created.id;
    } catch (err) {
      setStartError(err instanceof Error ? err.message : "Could not start a conversation");
      return null;
    } finally {
      setCreating(false);
    }
  }

  async function submit() {
    const text = input.trim();
    if (!text || busy) return;
    setStartError(null);
    clearError();
    if (!(await ensureConversation())) return;
    setInput("");
    setDraft(draftKey, "");
    if (messages.length === 0) setStartedTitle(text.split("\n")[0]!.slice(0, 60));
    await sendMessage({ text });
  }

  const waitingForFirstPart = status === "submitted" || (status === "streaming" && messages.at(-1)?.role === "user");

  return (
    <div className="flex h-full min-h-0 flex-col">
      <div className="min-h-0 flex-1 space-y-5 overflow-y-auto px-4 py-6 sm:px-6" data-testid="messages">
        {messages.length === 0 ? (
          <div className="mx-auto max-w-md py-16 text-center">
            <p className="text-base font-medium text-slate-800">{area.name} assistant</p>
            <p className="mt-1 text-sm text-slate-500">{area.description || "Ask for anything this area's pipelines can do."}</p>
            <p className="mt-3 text-xs text-slate-400">
              {area.model} · up to {area.maxSteps} steps a turn · tool calls are recorded as runs
            </p>
          </div>
        ) : (
          messages.map((message) => (
            <MessageView
              key={message.id}
              message={message}
              labels={labels}
              onApprove={busy ? undefined : (id, approved) => void addToolApprovalResponse({ id, approved, reason: approved ? undefined : "The owner denied it" })}
            />
          ))
        )}
        {waitingForFirstPart ? <Thinking /> : null}
        {error ? (
          <p role="alert" className="rounded-lg border border-rose-200 bg-rose-50 px-3 py-2 text-sm text-rose-800" data-testid="chat-error">
            {error.message || "The response failed."}
          </p>
        ) : null}
        {startError ? (
          <p role="alert" className="rounded-lg border border-rose-200 bg-rose-50 px-3 py-2 text-sm text-rose-800">{startError}</p>
        ) : null}
        <div ref={bottom} />
      </div>
      <form
        className="border-t border-slate-200 bg-white p-3 sm:p-4"
        onSubmit={(event) => {
          event.preventDefault();
          void submit();
        }}
      >
        <div className="flex items-end gap-2">
          <label htmlFor="chat-input" className="sr-only">Message</label>
          <textarea
            id="chat-input"
            name="message"
            rows={2}
            value={input}
            maxLength={20_000}
            placeholder={`Message the ${area.name} assistant… (Enter to send, Shift+Enter for a new line)`}
            onChange={(event) => {
              setInput(event.target.value);
              setDraft(draftKey, event.target.value);
            }}
            onKeyDown={(event) => {
              if (event.key === "Enter" && !event.shiftKey && !event.nativeEvent.isComposing) {
                event.preventDefault();
                void submit();
              }
            }}
            className="min-h-[2.75rem] flex-1 resize-y rounded-lg border border-slate-300 px-3 py-2 text-sm shadow-sm focus:border-brand-500 focus:outline-none focus:ring-2 focus:ring-brand-500/30"
          />
          {status === "submitted" || status === "streaming" ? (
            <Button type="button" variant="secondary" onClick={() => void stop()} data-testid="stop">
              <span className="h-2.5 w-2.5 rounded-sm bg-slate-700" /> Stop
            </Button>
          ) : (
            <Button type="submit" disabled={!input.trim() || creating}>
              {creating ? <Spinner /> : null} Send
            </Button>
          )}
        </div>
      </form>
    </div>
  );
}
