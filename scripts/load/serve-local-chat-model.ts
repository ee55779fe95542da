import { parseCliArgs, wholeNumberFlag } from "../parse-cli-args.js";
import { startLocalChatModel } from "./local-chat-model.js";

/**
 * Runs the local chat model in its own process, so its timers and writes do
 * not share an event loop with the load generator that times the server.
 * Prints one JSON line (`baseURL`, `answerText`) when listening; stops on SIGTERM.
 */
const usage =
  "Usage: node --import tsx scripts/load/serve-local-chat-model.ts [--tokens 200] [--interval-ms 50]";
const values = parseCliArgs(usage, {
  tokens: { type: "string", default: "200" },
  "interval-ms": { type: "string", default: "50" },
});
const model = await startLocalChatModel({
  tokens: wholeNumberFlag(usage, "tokens", values.tokens, 1),
  intervalMs: wholeNumberFlag(usage, "interval-ms", values["interval-ms"], 0),
});
process.stdout.write(
  `${JSON.stringify({ baseURL: model.baseURL, answerText: model.answerText })}\n`,
);
process.once("SIGTERM", () => {
  model.close().then(() => process.exit(0));
});
