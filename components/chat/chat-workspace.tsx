"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { useEffect, useState } from "react";
import { Button, buttonClass } from "@/components/ui/button";
import { formatRelative } from "@/components/ui/format";
import type { ConversationDto } from "@/lib/chat/conversations";
import type { AreaSummary, ChatMessage, ToolLabels } from "@/lib/chat/messages";
import { useChatStore } from "@/lib/stores/chat-store";
import { ChatPanel } from "./chat-panel";
import { useCan } from "@/components/shell/permissions";

// The chat page: areas to switch between, the owner's conversations (newest first, more on
// demand), and the open conversation.

type Props = {
  areas: AreaSummary[];
  area: AreaSummary;
  conversation: ConversationDto | null;
  initialMessages: ChatMessage[];
  conversations: ConversationDto[];
  nextCursor: string | null;
  labels: ToolLabels;
};

export function ChatWorkspace({ areas, area, conversation, initialMessages, conversations, nextCursor, labels }: Props) {
  const router = useRouter();
  const mayManage = useCan("settings.manage");
  const seed = useChatStore((s) => s.seed);
  const list = useChatStore((s) => s.conversations);
  const more = useChatStore((s) => s.nextCursor);
  const loadMore = useChatStore((s) => s.loadMore);
  const loading = useChatStore((s) => s.loadingList);
  const listError = useChatStore((s) => s.listError);
  const setLastArea = useChatStore((s) => s.setLastArea);
  const startedTitle = useChatStore((s) => s.startedTitle);
  const setStartedTitle = useChatStore((s) => s.setStartedTitle);
  const remove = useChatStore((s) => s.remove);
  const [deleting, setDeleting] = useState(false);
  const [deleteError, setDeleteError] = useState<string | null>(null);

  useEffect(() => seed(conversations, nextCursor), [seed, conversations, nextCursor]);
  useEffect(() => setLastArea(area.slug), [setLastArea, area.slug]);
  // A fresh page starts without a pending title.
  useEffect(() => setStartedTitle(null), [setStartedTitle, conversation?.id, area.slug]);

  async function deleteConversation(id: string) {
    if (!window.confirm("Delete this conversation and its messages? The runs it made stay on the record.")) return;
    setDeleting(true);
    setDeleteError(null);
    const res = await fetch(`/api/conversations/${id}`, { method: "DELETE" }).catch(() => null);
    setDeleting(false);
    if (!res?.ok) {
      setDeleteError("Could not delete the conversation; try again.");
      return;
    }
    remove(id);
    router.push(`/chat?area=${area.slug}`);
  }

  const shown = list.length > 0 || conversations.length === 0 ? list : conversations;

  return (
    <div className="-mx-4 -my-8 flex h-[calc(100vh-4rem)] sm:-mx-8">
      <aside className="hidden w-72 shrink-0 flex-col border-r border-slate-200 bg-white md:flex">
        <div className="space-y-3 border-b border-slate-100 p-4">
          <label className="block text-xs font-medium uppercase tracking-wide text-slate-500" htmlFor="area-select">Area</label>
          <select
            id="area-select"
            value={area.slug}
            onChange={(event) => router.push(`/chat?area=${event.target.value}`)}
            className="w-full rounded-lg border border-slate-300 bg-white px-3 py-2 text-sm shadow-sm"
          >
            {areas.map((a) => (
              <option key={a.slug} value={a.slug}>{a.name}</option>
            ))}
          </select>
          <Link href={`/chat?area=${area.slug}`} className={buttonClass("primary", "w-full")} data-testid="new-conversation">
            New conversation
          </Link>
        </div>
        <nav className="min-h-0 flex-1 overflow-y-auto p-2" aria-label="Conversations">
          {listError ? <p className="px-2 py-1 text-xs text-rose-700" role="alert">{listError}</p> : null}
          {shown.length === 0 ? (
            <p className="px-2 py-6 text-center text-sm text-slate-500">No conversations yet. Say hello to start one.</p>
          ) : (
            <ul className="space-y-0.5">
              {shown.map((c) => (
                <li key={c.id}>
                  <Link
                    href={`/chat/${c.id}`}
                    className={`block rounded-lg px-3 py-2 text-sm hover:bg-slate-50 ${c.id === conversation?.id ? "bg-brand-50 text-brand-800" : "text-slate-700"}`}
                  >
                    <span className="block truncate font-medium">{c.title}</span>
                    <span className="block text-xs text-slate-500">{c.area.name} · {formatRelative(c.lastMessageAt)}</span>
                  </Link>
                </li>
              ))}
            </ul>
          )}
          {more ? (
            <Button variant="ghost" className="mt-2 w-full" disabled={loading} onClick={() => void loadMore()}>
              {loading ? "Loading…" : "Older conversations"}
            </Button>
          ) : null}
        </nav>
        {mayManage ? (
          <div className="border-t border-slate-100 p-3 text-xs">
            <Link href="/areas" className="text-brand-700 hover:underline">Manage areas, models and budgets</Link>
          </div>
        ) : null}
      </aside>
      <section className="flex min-w-0 flex-1 flex-col bg-slate-50/60">
        <header className="flex items-center justify-between gap-3 border-b border-slate-200 bg-white px-4 py-3 sm:px-6">
          <div className="min-w-0">
            <h1 className="truncate text-base font-semibold text-slate-900" data-testid="conversation-title">
              {conversation?.title ?? startedTitle ?? "New conversation"}
            </h1>
            <p className="text-xs text-slate-500">{area.name} · {area.model}</p>
            {deleteError ? <p role="alert" className="text-xs text-rose-700">{deleteError}</p> : null}
          </div>
          {conversation ? (
            <Button variant="ghost" disabled={deleting} onClick={() => void deleteConversation(conversation.id)} data-testid="delete-conversation">
              {deleting ? "Deleting…" : "Delete"}
            </Button>
          ) : null}
          <select
            aria-label="Area"
            value={area.slug}
            onChange={(event) => router.push(`/chat?area=${event.target.value}`)}
            className="rounded-lg border border-slate-300 bg-white px-2 py-1.5 text-sm md:hidden"
          >
            {areas.map((a) => (
              <option key={a.slug} value={a.slug}>{a.name}</option>
            ))}
          </select>
        </header>
        <div className="min-h-0 flex-1">
          <ChatPanel key={conversation?.id ?? `new-${area.slug}`} area={area} conversationId={conversation?.id ?? null} initialMessages={initialMessages} labels={labels} />
        </div>
      </section>
    </div>
  );
}
