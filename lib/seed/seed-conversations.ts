import type { Prisma } from "@/generated/prisma/client";
import { ensureDefaultAreas } from "@/lib/chat/areas";
import type { Tx } from "@/lib/db/transaction";
import { newId } from "@/lib/ids";
import * as users from "@/lib/users/repository";
import { DEMO_MEMBER_EMAIL } from "./seed-users";
import type { Seeder } from "./types";

// Demo conversations for the chat page, owned by the demo member (sign in as them to see them): a
// finished turn with a tool call, one waiting for approval, and one stopped at its step limit.

const MINUTE = 60_000;

type DemoMessage = { role: "user" | "assistant"; parts: Prisma.InputJsonValue[] };
type DemoTurn = { endReason: string; status: string; steps: number; toolCalls: number; inputTokens: number; outputTokens: number };
type DemoConversation = { area: string; title: string; minutesAgo: number; messages: DemoMessage[]; turn: DemoTurn };

const text = (value: string) => ({ type: "text", text: value, state: "done" });

const DEMO: DemoConversation[] = [
  {
    area: "content",
    title: "Video idea: agents on a leash",
    minutesAgo: 90,
    messages: [
      { role: "user", parts: [text("Save a video idea: why AI agents need a leash, with the three failure stories from last week.")] },
      {
        role: "assistant",
        parts: [
          { type: "step-start" },
          {
            type: "tool-notes_capture",
            toolCallId: "call_demo_1",
            state: "output-available",
            input: { title: "Video idea: agents on a leash", body: "Three failure stories from last week.", tags: ["idea", "video"] },
            output: { runId: "run_demo", output: { path: "inbox/demo-video-idea.md", bytes: 412, createdAt: new Date().toISOString() } },
          },
          { type: "step-start" },
          text("Saved to your inbox as “Video idea: agents on a leash”, tagged idea and video."),
        ],
      },
    ],
    turn: { endReason: "finished", status: "completed", steps: 2, toolCalls: 1, inputTokens: 2480, outputTokens: 96 },
  },
  {
    area: "operations",
    title: "Tell me on my phone when the backup is done",
    minutesAgo: 40,
    messages: [
      { role: "user", parts: [text("Send me a notification that the backup is done.")] },
      {
        role: "assistant",
        parts: [
          { type: "step-start" },
          {
            type: "tool-notify_send",
            toolCallId: "call_demo_2",
            state: "approval-requested",
            input: { title: "Backup", message: "The nightly backup is done.", priority: "normal" },
            approval: { id: "aprv_demo_1" },
          },
        ],
      },
    ],
    turn: { endReason: "approval", status: "waiting", steps: 1, toolCalls: 1, inputTokens: 1710, outputTokens: 41 },
  },
  {
    area: "general",
    title: "Check every connection",
    minutesAgo: 10,
    messages: [
      { role: "user", parts: [text("Check the connection a few times and tell me if anything is slow.")] },
      {
        role: "assistant",
        parts: [
          { type: "step-start" },
          { type: "tool-system_echo", toolCallId: "call_demo_3", state: "output-available", input: { message: "ping 1" }, output: { runId: "run_demo", output: { message: "ping 1" } } },
          { type: "step-start" },
          { type: "tool-system_echo", toolCallId: "call_demo_4", state: "output-available", input: { message: "ping 2" }, output: { runId: "run_demo", output: { message: "ping 2" } } },
          { type: "data-notice", data: { kind: "step_limit", message: 'Stopped after 2 steps, the limit for one turn in General. Say "continue" to go on.' } },
        ],
      },
    ],
    turn: { endReason: "step_limit", status: "limited", steps: 2, toolCalls: 2, inputTokens: 3020, outputTokens: 58 },
  },
];

async function demoMember(tx: Tx) {
  const member = await users.findUserByEmail(tx, DEMO_MEMBER_EMAIL);
  if (!member) throw new Error(`The conversations seeder needs the demo user ${DEMO_MEMBER_EMAIL}; seed users first`);
  return member;
}

export const conversationsSeeder: Seeder = {
  name: "conversations",

  async exists(tx) {
    const member = await users.findUserByEmail(tx, DEMO_MEMBER_EMAIL);
    return member ? (await tx.conversation.count({ where: { userId: member.id } })) > 0 : false;
  },

  async seed({ tx, now }) {
    await ensureDefaultAreas(tx);
    const member = await demoMember(tx);
    const replaced = (await tx.conversation.deleteMany({ where: { userId: member.id } })).count;
    const areas = new Map((await tx.assistantArea.findMany()).map((a) => [a.slug, a]));
    let messages = 0;
    for (const demo of DEMO) {
      const area = areas.get(demo.area);
      if (!area) continue;
      const at = new Date(now.getTime() - demo.minutesAgo * MINUTE);
      const conversation = await tx.conversation.create({
        data: { id: newId("cnv"), areaId: area.id, userId: member.id, title: demo.title, createdAt: at, lastMessageAt: at },
      });
      let assistantId: string | null = null;
      for (const [position, message] of demo.messages.entries()) {
        const id = newId("msg");
        if (message.role === "assistant") assistantId = id;
        await tx.chatMessage.create({ data: { id, conversationId: conversation.id, position, role: message.role, parts: message.parts, createdAt: at } });
        messages++;
      }
      const costUsd = (demo.turn.inputTokens * area.inputUsdPerMTok + demo.turn.outputTokens * area.outputUsdPerMTok) / 1e6;
      await tx.chatTurn.create({
        data: { id: newId("trn"), conversationId: conversation.id, areaId: area.id, assistantMessageId: assistantId, model: area.model, ...demo.turn, costUsd, startedAt: at, finishedAt: at },
      });
    }
    return {
      title: "Conversations",
      counts: { conversations: DEMO.length, messages },
      lines: [`${DEMO.length} conversations for ${DEMO_MEMBER_EMAIL} (a tool call, a pending approval, a step limit)`, ...(replaced > 0 ? [`replaced ${replaced} earlier demo conversations`] : [])],
    };
  },
};
