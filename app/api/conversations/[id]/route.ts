import { deleteConversation, getConversation, renameConversation, renameConversationInput } from "@/lib/chat/conversations";
import { handle } from "@/lib/http/handler";
import { conversationDeletedSchema, conversationDetailSchema, conversationId, conversationResponseSchema } from "@/lib/chat/api-schemas";
import { jsonBody, jsonResponse } from "@/lib/openapi/operations";

type Params = { id: string };

export const GET = handle<Params>({
  auth: "session",
  allow: "chat.use",
  openapi: {
    operationId: "getConversation",
    summary: "Get a conversation with every message and the usage of each turn",
    tags: ["assistants"],
    parameters: [conversationId],
    responses: { "200": jsonResponse("The conversation", conversationDetailSchema), "404": "NotFound" },
  },
}, async ({ user, params }) => getConversation(user, params.id));

export const PATCH = handle<Params>({
  auth: "session",
  allow: "chat.use",
  openapi: {
    operationId: "renameConversation",
    summary: "Rename a conversation",
    tags: ["assistants"],
    parameters: [conversationId],
    requestBody: jsonBody(renameConversationInput),
    responses: { "200": jsonResponse("The conversation", conversationResponseSchema), "400": "BadRequest", "404": "NotFound" },
  },
}, async ({ user, params, body }) => {
  const { title } = await body(renameConversationInput);
  return { conversation: await renameConversation(user, params.id, title) };
});

export const DELETE = handle<Params>({
  auth: "session",
  allow: "chat.use",
  openapi: {
    operationId: "deleteConversation",
    summary: "Delete a conversation and its messages",
    tags: ["assistants"],
    parameters: [conversationId],
    responses: { "200": jsonResponse("Deleted", conversationDeletedSchema), "404": "NotFound" },
  },
}, async ({ user, params }) => {
  await deleteConversation(user, params.id);
  return { deleted: { id: params.id } };
});
