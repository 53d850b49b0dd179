// npm run bench:chat [-- --turns 200 --http-turns 100 --loads 200 --skip-http]
//
// What the assistants' chat route adds on top of the model, with a scripted model that answers
// at once (the fake OpenAI-compatible server the tests use, on 127.0.0.1):
//   model     time to the first streamed byte from the model server alone
//   service   startChatTurn in this process: load the conversation, save the message, build the
//             prompt and tools, call the model, up to the first streamed text chunk
//   HTTP      POST /api/chat on the built app (`next start`) with a session, to the first text chunk
//   load      a 100-message conversation (50 turns with tool calls) read back: service, API, page
// It runs against a throw-away PostgreSQL. Figures, not assertions.
import { parseArgs } from "node:util";
import { HTTP_BENCH_FLAGS, httpSkippedReason, positiveInt, startBenchmark } from "./options";

const USAGE = `Usage: npm run bench:chat -- [options]
  --turns N        chat turns through the service (default 200)
  --http-turns N   chat turns over HTTP (default 100)
  --loads N        loads of the 100-message conversation per path (default 200; the page gets a fifth)
  --skip-http      only the in-process figures (no build, no server)
  --log-level L    LOG_LEVEL for this process and the server (default warn)`;

const { values: args } = parseArgs({
  options: {
    turns: { type: "string", default: "200" },
    "http-turns": { type: "string", default: "100" },
    loads: { type: "string", default: "200" },
    ...HTTP_BENCH_FLAGS,
  },
});

const options = {
  turns: positiveInt("turns", args.turns, USAGE),
  httpTurns: positiveInt("http-turns", args["http-turns"], USAGE),
  loads: positiveInt("loads", args.loads, USAGE),
  httpSkipped: httpSkippedReason(args),
  logLevel: args["log-level"],
};

const load = () => import("./chat-benchmark").then((m) => () => m.runChatBenchmark(options));
await startBenchmark({ usage: USAGE, help: args.help, httpSkipped: options.httpSkipped, load });
