import { parseArgs } from "node:util";
import { startLocalChatModel } from "./local-chat-model.js";

/**
 * Runs the local chat model in its own process, so its timers and writes do
 * not share an event loop with the load generator that times the server.
 * Prints one JSON line (`baseURL`, `answerText`) when listening; stops on SIGTERM.
 */
const { values } = parseArgs({
  options: { tokens: { type: "string" }, "interval-ms": { type: "string" } },
});
const model = await startLocalChatModel({
  tokens: Number(values.tokens ?? 200),
  intervalMs: Number(values["interval-ms"] ?? 50),
});
process.stdout.write(
  `${JSON.stringify({ baseURL: model.baseURL, answerText: model.answerText })}\n`,
);
process.once("SIGTERM", () => {
  model.close().then(() => process.exit(0));
});
