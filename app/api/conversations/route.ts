import { NextResponse } from "next/server";
import { createConversation, createConversationBody, listConversations, listConversationsQuery } from "@/lib/chat/conversations";
import { handle } from "@/lib/http/handler";

export const GET = handle({ auth: "session", allow: "chat.use" }, async ({ user, query }) => listConversations(user, query(listConversationsQuery)));

export const POST = handle({ auth: "session", allow: "chat.use" }, async ({ user, body }) => {
  const input = await body(createConversationBody);
  const conversation = await createConversation(user, input.area, input.title);
  return NextResponse.json({ conversation }, { status: 201, headers: { location: `/api/conversations/${conversation.id}` } });
});
