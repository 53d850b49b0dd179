import { z } from "zod";
import { startChatTurn } from "@/lib/chat/chat-turn";
import { handle } from "@/lib/http/handler";

// One turn of a conversation, streamed as an AI SDK UI message stream (SSE). The body names the
// conversation and carries either the owner's new message or their answers to pending approvals;
// the history comes from the database.
export const POST = handle({ auth: "session", allow: "chat.use" }, async ({ user, req, body, requestId }) =>
  startChatTurn({ user, body: await body(z.unknown()), signal: req.signal, requestId }),
);
