import { z } from "zod";
import { definePipeline } from "@/lib/pipelines/define";

// Returns what it was given, with who asked and when. Agents and integrations use it to check
// that their token, scope and connection work before doing real work; the benchmark uses it as
// the no-op pipeline.
export const systemEcho = definePipeline({
  name: "system.echo",
  title: "Echo",
  description: "Returns the message it was given, with the caller and the server time. Changes nothing; use it to test a connection.",
  input: z.object({
    message: z.string().max(2000).default("ping").describe("Any text; it comes back unchanged"),
  }),
  output: z.object({
    message: z.string(),
    actor: z.string(),
    trigger: z.string(),
    serverTime: z.iso.datetime(),
  }),
  areas: ["*"],
  sideEffects: "none",
  timeoutMs: 5_000,
  async run(input, ctx) {
    return { message: input.message, actor: ctx.actor.label, trigger: ctx.trigger, serverTime: new Date().toISOString() };
  },
});
