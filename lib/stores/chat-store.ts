"use client";

import { create } from "zustand";
import { persist } from "zustand/middleware";
import type { ConversationDto } from "@/lib/chat/conversations";

// Client state of the chat page: the conversation list in the sidebar (seeded by the server,
// refreshed after each turn), the area last used (kept across visits), and unsent drafts.

type ChatState = {
  conversations: ConversationDto[];
  nextCursor: string | null;
  listError: string | null;
  loadingList: boolean;
  lastArea: string;
  drafts: Record<string, string>;
  /** The title of a conversation started on this page, before the server lists it. */
  startedTitle: string | null;
  setStartedTitle(title: string | null): void;
  remove(id: string): void;
  seed(conversations: ConversationDto[], nextCursor: string | null): void;
  refresh(): Promise<void>;
  loadMore(): Promise<void>;
  setLastArea(slug: string): void;
  setDraft(key: string, text: string): void;
};

async function fetchPage(cursor: string | null): Promise<{ conversations: ConversationDto[]; nextCursor: string | null }> {
  const res = await fetch(`/api/conversations?limit=30${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`);
  if (!res.ok) throw new Error(((await res.json().catch(() => null)) as { error?: { message?: string } } | null)?.error?.message ?? `HTTP ${res.status}`);
  return res.json();
}

export const useChatStore = create<ChatState>()(
  persist(
    (set, get) => ({
      conversations: [],
      nextCursor: null,
      listError: null,
      loadingList: false,
      lastArea: "general",
      drafts: {},
      startedTitle: null,
      setStartedTitle: (startedTitle) => set({ startedTitle }),
      remove: (id) => set({ conversations: get().conversations.filter((c) => c.id !== id) }),
      seed: (conversations, nextCursor) => set({ conversations, nextCursor, listError: null }),
      async refresh() {
        set({ loadingList: true });
        try {
          const page = await fetchPage(null);
          set({ conversations: page.conversations, nextCursor: page.nextCursor, listError: null });
        } catch (error) {
          set({ listError: error instanceof Error ? error.message : "Could not load conversations" });
        } finally {
          set({ loadingList: false });
        }
      },
      async loadMore() {
        const cursor = get().nextCursor;
        if (!cursor) return;
        set({ loadingList: true });
        try {
          const page = await fetchPage(cursor);
          set({ conversations: [...get().conversations, ...page.conversations], nextCursor: page.nextCursor, listError: null });
        } catch (error) {
          set({ listError: error instanceof Error ? error.message : "Could not load conversations" });
        } finally {
          set({ loadingList: false });
        }
      },
      setLastArea: (lastArea) => set({ lastArea }),
      setDraft: (key, text) => set({ drafts: { ...get().drafts, [key]: text } }),
    }),
    { name: "pa-chat", partialize: (state) => ({ lastArea: state.lastArea, drafts: state.drafts }) },
  ),
);
