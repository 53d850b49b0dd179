import {
  consumeStream,
  convertToModelMessages,
  createUIMessageStream,
  createUIMessageStreamResponse,
  InvalidToolInputError,
  NoSuchToolError,
  stepCountIs,
  streamText,
  type StepResult,
  type ToolSet,
  type UIMessageStreamWriter,
} from "ai";
import { Prisma } from "@/generated/prisma/client";
import { autocommit, withTransaction } from "@/lib/db/transaction";
import { AppError, validationError } from "@/lib/errors";
import { newId } from "@/lib/ids";
import { getLogger } from "@/lib/logger";
import { recordModelCall } from "@/lib/observability/observe";
import { modelTelemetry } from "@/lib/observability/tracing";
import type { PublicUser } from "@/lib/users/repository";
import { findAreaById } from "./areas.repository";
import { spentToday, type AreaRow } from "./areas";
import { costOf, costOfSteps, formatUsd } from "./budget";
import { NEW_CONVERSATION_TITLE, requireConversation, toChatMessages } from "./conversations";
import * as store from "./conversations.repository";
import { chatRequestSchema, type ChatMessage, type ChatRequest, type Notice, type TurnUsage } from "./messages";
import { chatModel, chatModelConfigured, MODEL_SETUP_HINT } from "./model";
import { describeModelError } from "./model-errors";
import { buildSystemPrompt } from "./system-prompt";
import { buildTools, ToolRunError } from "./tools";

// One turn of a conversation: take the owner's message (or their answers to pending approvals),
// save it, stream the model's answer with the area's pipelines as tools, and save the answer with
// its usage and cost. The history comes from the database, never from the client, so a client
// cannot rewrite what the model saw or forge a tool result or an approval.

export type ChatTurnRequest = { user: PublicUser; body: unknown; signal: AbortSignal; requestId: string };

type Part = ChatMessage["parts"][number];
type EndReason = "finished" | "approval" | "step_limit" | "turn_budget" | "daily_budget" | "aborted" | "error";

const MAX_TITLE = 60;
const MODEL_RETRIES = 1;

function isToolPart(part: Part): part is Extract<Part, { toolCallId: string }> {
  return part.type.startsWith("tool-") || part.type === "dynamic-tool";
}

function titleFrom(text: string): string {
  const line = text.trim().split("\n")[0]!.trim();
  return line.length > MAX_TITLE ? `${line.slice(0, MAX_TITLE - 1)}…` : line;
}

/** Pending approvals the owner answered; ids that are not pending are a conflict. */
function applyApprovals(message: ChatMessage, approvals: NonNullable<ChatRequest["approvals"]>): ChatMessage {
  const answers = new Map(approvals.map((a) => [a.id, a]));
  const parts = message.parts.map((part) => {
    if (!isToolPart(part) || part.state !== "approval-requested") return part;
    const answer = answers.get(part.approval.id);
    if (!answer) return part;
    answers.delete(part.approval.id);
    return { ...part, state: "approval-responded", approval: { ...part.approval, approved: answer.approved, reason: answer.reason } } as Part;
  });
  if (answers.size > 0) throw new AppError("conflict", `No pending approval with the id ${[...answers.keys()].join(", ")}`);
  return { ...message, parts };
}

/** A new message while approvals are pending means the owner moved on: those calls are denied. */
function denyPending(message: ChatMessage): ChatMessage | null {
  let changed = false;
  const parts = message.parts.map((part) => {
    if (!isToolPart(part) || part.state !== "approval-requested") return part;
    changed = true;
    return { ...part, state: "approval-responded", approval: { ...part.approval, approved: false, reason: "The owner moved on without approving" } } as Part;
  });
  return changed ? { ...message, parts } : null;
}

function storedParts(message: ChatMessage): Prisma.InputJsonValue {
  return JSON.parse(JSON.stringify(message.parts)) as Prisma.InputJsonValue;
}

function isUniqueViolation(error: unknown): boolean {
  return error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002";
}

type Prepared = {
  area: AreaRow;
  conversationId: string;
  messages: ChatMessage[];
};

/** Validates the request against the stored conversation and saves what the owner sent. */
async function prepare(user: PublicUser, body: unknown): Promise<Prepared> {
  const parsed = chatRequestSchema.safeParse(body);
  if (!parsed.success) throw validationError(parsed.error, "Chat request");
  const request = parsed.data;
  const conversation = await requireConversation(user, request.conversationId);
  const area = await findAreaById(autocommit(), conversation.area.id);
  if (!area) throw new AppError("not_found", "This conversation's area no longer exists");
  if (!chatModelConfigured()) throw new AppError("unavailable", `No model is configured. ${MODEL_SETUP_HINT}`);

  const db = autocommit();
  const [rows, turns] = await Promise.all([store.listMessages(db, conversation.id), store.listTurns(db, conversation.id)]);
  const messages = toChatMessages(rows, turns);
  const last = messages.at(-1);
  const changed: ChatMessage[] = [];
  let added: ChatMessage | null = null;

  if (request.approvals) {
    if (!last || last.role !== "assistant") throw new AppError("conflict", "There is nothing waiting for approval in this conversation");
    const answered = applyApprovals(last, request.approvals);
    messages[messages.length - 1] = answered;
    changed.push(answered);
  } else if (request.message) {
    const denied = last?.role === "assistant" ? denyPending(last) : null;
    if (denied) {
      messages[messages.length - 1] = denied;
      changed.push(denied);
    }
    const clientId = request.message.id && !(await store.messageExists(db, request.message.id)) ? request.message.id : null;
    added = { id: clientId ?? newId("msg"), role: "user", parts: [{ type: "text", text: request.message.text }], metadata: { createdAt: new Date().toISOString() } };
    messages.push(added);
  }

  try {
    await withTransaction(async (tx) => {
      for (const message of changed) await store.updateMessageParts(tx, message.id, conversation.id, storedParts(message));
      if (added) {
        await store.insertMessage(tx, { id: added.id, conversationId: conversation.id, position: rows.length, role: "user", parts: storedParts(added) });
        const title = conversation.title === NEW_CONVERSATION_TITLE && rows.length === 0 ? titleFrom(request.message!.text) : undefined;
        await store.updateConversation(tx, conversation.id, { title, lastMessageAt: new Date() });
      }
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw new AppError("conflict", "Another message was just added to this conversation; reload it and try again");
    throw error;
  }
  return { area, conversationId: conversation.id, messages };
}

type Tally = { steps: number; inputTokens: number; outputTokens: number; costUsd: number; toolCalls: number; refused: number };

function notice(kind: Notice["kind"], message: string): Notice {
  return { kind, message };
}

function endNotice(reason: EndReason, area: AreaRow, tally: Tally, errorText: string | null): Notice | null {
  switch (reason) {
    case "step_limit":
      return notice("step_limit", `Stopped after ${area.maxSteps} steps, the limit for one turn in ${area.name}. Say "continue" to go on.`);
    case "turn_budget":
      return notice("turn_budget", `Stopped: this turn cost ${formatUsd(tally.costUsd)}, reaching the ${formatUsd(area.turnBudgetUsd)} limit per turn in ${area.name}.`);
    case "daily_budget":
      return notice("daily_budget", `Stopped: ${area.name} has reached its daily budget of ${formatUsd(area.dailyBudgetUsd)}. It resets at midnight UTC, or raise it in the area's settings.`);
    case "aborted":
      return notice("stopped", "You stopped this response.");
    case "error":
      return notice("error", errorText ?? "The model call failed.");
    default:
      return null;
  }
}

function statusOf(reason: EndReason): string {
  if (reason === "finished") return "completed";
  if (reason === "approval") return "waiting";
  if (reason === "aborted") return "stopped";
  if (reason === "error") return "failed";
  return "limited";
}

/** Why the model loop ended, from its last step and the limits. */
function endReasonOf(steps: StepResult<ToolSet>[], area: AreaRow, spentBefore: number): EndReason {
  const last = steps.at(-1);
  if (!last) return "finished";
  if (last.content.some((part) => part.type === "tool-approval-request")) return "approval";
  if (last.finishReason !== "tool-calls") return "finished";
  const cost = costOfSteps(steps, area);
  if (cost >= area.turnBudgetUsd) return "turn_budget";
  if (spentBefore + cost >= area.dailyBudgetUsd) return "daily_budget";
  if (steps.length >= area.maxSteps) return "step_limit";
  return "finished";
}

/** Errors in the stream: a tool's own failure is shown as it is; anything else is the model's. */
function describeStreamError(error: unknown): string {
  if (error instanceof ToolRunError || NoSuchToolError.isInstance(error) || InvalidToolInputError.isInstance(error)) return error.message;
  return describeModelError(error);
}

/** Starts a turn and returns the streaming response (a UI message stream over SSE). */
export async function startChatTurn({ user, body, signal, requestId }: ChatTurnRequest): Promise<Response> {
  const { area, conversationId, messages } = await prepare(user, body);
  const log = getLogger({ component: "chat", conversationId, area: area.slug });
  // Independent of each other: done at once, so the first streamed byte comes sooner.
  const [spentBefore, turn, system] = await Promise.all([
    spentToday(area.id),
    store.insertTurn(autocommit(), { conversationId, areaId: area.id, model: area.model, status: "running" }),
    buildSystemPrompt(area),
  ]);
  const tally: Tally = { steps: 0, inputTokens: 0, outputTokens: 0, costUsd: 0, toolCalls: 0, refused: 0 };
  let endReason: EndReason | null = null;
  let errorText: string | null = null;

  const usage = (): TurnUsage => ({ turnId: turn.id, model: area.model, ...tally });

  async function finish(responseMessage: ChatMessage, isContinuation: boolean, isAborted: boolean): Promise<void> {
    const reason: EndReason = isAborted ? "aborted" : (endReason ?? "error");
    // A stopped response never got its notice streamed (the client was gone): keep it with the message.
    if (reason === "aborted" && !responseMessage.parts.some((p) => p.type === "data-notice")) {
      responseMessage = { ...responseMessage, parts: [...responseMessage.parts, { type: "data-notice", data: endNotice("aborted", area, tally, null)! }] };
    }
    try {
      await withTransaction(async (tx) => {
        if (responseMessage.parts.length > 0) {
          const parts = storedParts(responseMessage);
          if (isContinuation) await store.updateMessageParts(tx, responseMessage.id, conversationId, parts);
          else {
            const position = await store.nextPosition(tx, conversationId);
            await store.insertMessage(tx, { id: responseMessage.id, conversationId, position, role: "assistant", parts });
          }
        }
        await store.updateTurn(tx, turn.id, {
          status: statusOf(reason),
          endReason: reason,
          assistantMessageId: responseMessage.parts.length > 0 ? responseMessage.id : null,
          steps: tally.steps,
          toolCalls: tally.toolCalls,
          refusedToolCalls: tally.refused,
          inputTokens: tally.inputTokens,
          outputTokens: tally.outputTokens,
          costUsd: tally.costUsd,
          error: reason === "error" ? errorText : null,
          finishedAt: new Date(),
        });
        await store.updateConversation(tx, conversationId, { lastMessageAt: new Date() });
      });
      log.info({ turnId: turn.id, endReason: reason, ...tally }, "chat turn finished");
    } catch (error) {
      log.error({ err: error, turnId: turn.id }, "could not save the chat turn");
    }
  }

  const endWith = (writer: UIMessageStreamWriter<ChatMessage>, reason: EndReason) => {
    endReason = reason;
    const shown = endNotice(reason, area, tally, errorText);
    if (shown) writer.write({ type: "data-notice", data: shown });
    writer.write({ type: "finish", messageMetadata: { usage: usage() } });
  };

  const stream = createUIMessageStream<ChatMessage>({
    originalMessages: messages,
    generateId: () => newId("msg"),
    onError: describeStreamError,
    onFinish: ({ responseMessage, isContinuation, isAborted }) => finish(responseMessage, isContinuation, isAborted),
    async execute({ writer }) {
      if (spentBefore >= area.dailyBudgetUsd) {
        writer.write({ type: "start" });
        endWith(writer, "daily_budget");
        return;
      }
      const tools = buildTools({ area, actor: { type: "user", id: user.id, label: user.email }, conversationId, requestId });
      const result = streamText({
        model: chatModel(area.model),
        system,
        messages: await convertToModelMessages(messages, { tools, ignoreIncompleteToolCalls: true }),
        tools,
        maxRetries: MODEL_RETRIES,
        abortSignal: signal,
        // Errors reach the owner through the stream (describeModelError), not the console.
        onError: () => undefined,
        experimental_telemetry: modelTelemetry(area.slug),
        stopWhen: [
          stepCountIs(area.maxSteps),
          ({ steps }) => {
            const cost = costOfSteps(steps, area);
            return cost >= area.turnBudgetUsd || spentBefore + cost >= area.dailyBudgetUsd;
          },
        ],
        onStepFinish(step) {
          tally.steps += 1;
          tally.inputTokens += step.usage.inputTokens ?? 0;
          tally.outputTokens += step.usage.outputTokens ?? 0;
          tally.costUsd = Math.round((tally.costUsd + costOf(step.usage, area)) * 1e9) / 1e9;
          recordModelCall(area.slug, step.usage, costOf(step.usage, area));
          tally.toolCalls += step.toolCalls.length;
          // A call to a tool the area does not have never runs: the SDK answers the model with an
          // error. Count and log it.
          const refused = new Set<string>();
          for (const part of step.content) {
            if ((part.type === "tool-call" || part.type === "tool-error") && !Object.hasOwn(tools, part.toolName)) refused.add(part.toolCallId);
          }
          if (refused.size > 0) {
            tally.refused += refused.size;
            log.warn({ turnId: turn.id, refused: refused.size }, "refused a tool call outside the area");
          }
        },
      });
      let aborted = false;
      for await (const chunk of result.toUIMessageStream<ChatMessage>({ sendFinish: false, onError: describeStreamError })) {
        if (chunk.type === "error") errorText = chunk.errorText;
        if (chunk.type === "abort") aborted = true;
        writer.write(chunk);
      }
      if (aborted || signal.aborted) {
        endReason = "aborted";
        return;
      }
      if (errorText) return endWith(writer, "error");
      const steps = await Promise.resolve(result.steps).catch(() => [] as StepResult<ToolSet>[]);
      endWith(writer, endReasonOf(steps, area, spentBefore));
    },
  });

  return createUIMessageStreamResponse({ stream, consumeSseStream: consumeStream });
}
