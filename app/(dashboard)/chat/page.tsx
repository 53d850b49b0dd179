import type { Metadata } from "next";
import { ChatWorkspace } from "@/components/chat/chat-workspace";
import { requirePagePermission } from "@/lib/auth/page-session";
import { areaSummary, loadChatPage, toolLabels } from "@/lib/chat/chat-page";
import { chatModelConfigured } from "@/lib/chat/model";
import { ModelSetup } from "./model-setup";

export const metadata: Metadata = { title: "Chat" };
export const dynamic = "force-dynamic";

export default async function ChatPage({ searchParams }: { searchParams: Promise<{ area?: string }> }) {
  if (!chatModelConfigured()) return <ModelSetup />;
  const user = await requirePagePermission("chat.use");
  const { areas, area, page } = await loadChatPage(user, { areaSlug: (await searchParams).area });
  return (
    <ChatWorkspace
      areas={areas.map(areaSummary)}
      area={areaSummary(area)}
      conversation={null}
      initialMessages={[]}
      conversations={page.conversations}
      nextCursor={page.nextCursor}
      labels={toolLabels(areas)}
    />
  );
}
