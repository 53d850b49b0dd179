import { z } from "zod";
import { startChatTurn } from "@/lib/chat/chat-turn";
import { handle } from "@/lib/http/handler";
import { chatRequestSchema } from "@/lib/chat/messages";
import { eventStream } from "@/lib/chat/api-schemas";
import { errorResponse, jsonBody } from "@/lib/openapi/operations";

// One turn of a conversation, streamed as an AI SDK UI message stream (SSE). The body names the
// conversation and carries either the owner's new message or their answers to pending approvals;
// the history comes from the database.
export const POST = handle({
  auth: "session",
  allow: "chat.use",
  openapi: {
    operationId: "chatTurn",
    summary: "Run one turn of a conversation, streamed",
    description:
      "Send either the owner's new `message` or `approvals` (answers to the pending tool calls of the last assistant " +
      "message), never both; the history comes from the database. The assistant may call the area's pipelines as tools " +
      "within its step and cost limits. Problems found before streaming starts are JSON errors; once the stream has " +
      "started, failures arrive as `error` and `data-notice` chunks.",
    tags: ["assistants"],
    requestBody: jsonBody(chatRequestSchema, "Exactly one of `message` and `approvals`"),
    responses: {
      "200": eventStream("The turn as an AI SDK UI message stream (server-sent events)"),
      "400": "BadRequest",
      "404": errorResponse("There is no such conversation of yours, or its area is gone"),
      "409": errorResponse("Approvals with nothing waiting for them (or an unknown approval id), or another message was just added: reload and retry"),
      "503": errorResponse("No model is configured"),
    },
  },
}, async ({ user, req, body, requestId }) =>
  startChatTurn({ user, body: await body(z.unknown()), signal: req.signal, requestId }),
);
