import { deleteConversation, getConversation, renameConversation, renameConversationInput } from "@/lib/chat/conversations";
import { handle } from "@/lib/http/handler";

type Params = { id: string };

export const GET = handle<Params>({ auth: "session", allow: "chat.use" }, async ({ user, params }) => getConversation(user, params.id));

export const PATCH = handle<Params>({ auth: "session", allow: "chat.use" }, async ({ user, params, body }) => {
  const { title } = await body(renameConversationInput);
  return { conversation: await renameConversation(user, params.id, title) };
});

export const DELETE = handle<Params>({ auth: "session", allow: "chat.use" }, async ({ user, params }) => {
  await deleteConversation(user, params.id);
  return { deleted: { id: params.id } };
});
