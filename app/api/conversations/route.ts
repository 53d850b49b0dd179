import { NextResponse } from "next/server";
import { createConversation, createConversationBody, listConversations, listConversationsQuery } from "@/lib/chat/conversations";
import { handle } from "@/lib/http/handler";
import { conversationListSchema, conversationResponseSchema } from "@/lib/chat/api-schemas";
import { jsonBody, jsonResponse } from "@/lib/openapi/operations";

export const GET = handle({
  auth: "session",
  allow: "chat.use",
  openapi: {
    operationId: "listConversations",
    summary: "List your conversations, most recent first",
    tags: ["assistants"],
    query: listConversationsQuery,
    responses: {
      "200": jsonResponse("A page of conversations", conversationListSchema),
      "400": "BadRequest",
      "404": "NotFound",
    },
  },
}, async ({ user, query }) => listConversations(user, query(listConversationsQuery)));

export const POST = handle({
  auth: "session",
  allow: "chat.use",
  openapi: {
    operationId: "createConversation",
    summary: "Start a conversation in an area",
    tags: ["assistants"],
    requestBody: jsonBody(createConversationBody),
    responses: {
      "201": jsonResponse("The conversation", conversationResponseSchema, {
        location: { description: "The conversation, /api/conversations/cnv_…", schema: { type: "string" } },
      }),
      "400": "BadRequest",
      "404": "NotFound",
    },
  },
}, async ({ user, body }) => {
  const input = await body(createConversationBody);
  const conversation = await createConversation(user, input.area, input.title);
  return NextResponse.json({ conversation }, { status: 201, headers: { location: `/api/conversations/${conversation.id}` } });
});
