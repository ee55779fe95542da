import { request } from "node:http";
import { createChatModel } from "../src/model/create-chat-model.js";
import { readServerSentEvents } from "../src/model/read-server-sent-events.js";
import { streamChatCompletion } from "../src/model/stream-chat-completion.js";
import { startModelProcess, stopProcessGroup } from "./load/model-process.js";
import { parseCliArgs, wholeNumberFlag } from "./parse-cli-args.js";

/**
 * `npm run bench:upstream [-- options]`: what reading a model's streamed answer costs the
 * server's process, apart from everything else an answer does. A local OpenAI-compatible
 * model (its own process, 127.0.0.1) streams --tokens tokens --interval-ms apart, one
 * network packet per token as real endpoints send them; this process reads --streams
 * answers, --concurrency at once, in three ways, in turn for --rounds rounds:
 *
 * - `node:http, bare`: a request on node:http and the SSE parser with a JSON.parse per
 *   chunk, nothing else: the floor of reading one packet per token on Node;
 * - `streamChatCompletion`: the server's client (the openai SDK on our node:http fetch,
 *   chunk validation, the silence deadline), reading each token as it comes;
 * - `... with a read pause`: the same, leaving the body unread --pause-ms after each piece
 *   of text, as the server does under load (half its write window: 250 ms at 500 streams).
 *
 * Prints CPU milliseconds per streamed answer (user + system of this process) for each.
 */
const usage = `Usage: npm run bench:upstream -- [--streams 900] [--concurrency 300] [--tokens 200]
  [--interval-ms 50] [--pause-ms 250] [--rounds 2]`;
const values = parseCliArgs(usage, {
  streams: { type: "string", default: "900" },
  concurrency: { type: "string", default: "300" },
  tokens: { type: "string", default: "200" },
  "interval-ms": { type: "string", default: "50" },
  "pause-ms": { type: "string", default: "250" },
  rounds: { type: "string", default: "2" },
});
const streams = wholeNumberFlag(usage, "streams", values.streams, 1);
const concurrency = wholeNumberFlag(usage, "concurrency", values.concurrency, 1);
const tokens = wholeNumberFlag(usage, "tokens", values.tokens, 1);
const intervalMs = wholeNumberFlag(usage, "interval-ms", values["interval-ms"], 0);
const pauseMs = wholeNumberFlag(usage, "pause-ms", values["pause-ms"], 0);
const rounds = wholeNumberFlag(usage, "rounds", values.rounds, 1);
const out = (line: string) => process.stdout.write(`${line}\n`);

const model = await startModelProcess({ tokens, intervalMs });
// A prompt the size of a grounded one (about 2,000 tokens of sources).
const messages = [{ role: "user" as const, content: "Which runbook applies? ".repeat(350) }];
const chatSettings = {
  baseURL: model.baseURL,
  apiKey: "bench",
  model: "bench-model",
  maxTokens: 1024,
  temperature: 0,
  maxRetries: 0,
  timeoutMs: 30_000,
  totalTimeoutMs: 120_000,
  contextTokens: 8192,
};
const plainClient = createChatModel(chatSettings);
const pausingClient = { ...createChatModel(chatSettings), readPauseMs: () => pauseMs };

/** One answer read on bare node:http; resolves with its text's length. */
function readBare(): Promise<number> {
  return new Promise((resolve, reject) => {
    const body = JSON.stringify({ model: "bench-model", stream: true, messages });
    const call = request(
      `${model.baseURL}/chat/completions`,
      { method: "POST", headers: { "content-type": "application/json" } },
      async (response) => {
        let length = 0;
        try {
          for await (const events of readServerSentEvents(response)) {
            for (const event of events) {
              if (event.data === "[DONE]") continue;
              const chunk = JSON.parse(event.data) as {
                choices: { delta?: { content?: string } }[];
              };
              length += chunk.choices[0]?.delta?.content?.length ?? 0;
            }
          }
          resolve(length);
        } catch (error) {
          reject(error);
        }
      },
    );
    call.once("error", reject);
    call.end(body);
  });
}

async function readWith(chat: typeof plainClient): Promise<number> {
  let length = 0;
  for await (const part of streamChatCompletion(chat, messages, undefined)) {
    if (part.type === "text") length += part.text.length;
  }
  return length;
}

const variants: [string, () => Promise<number>][] = [
  ["node:http, bare", readBare],
  ["streamChatCompletion", () => readWith(plainClient)],
  [`streamChatCompletion with a ${pauseMs} ms read pause`, () => readWith(pausingClient)],
];

async function measure(read: () => Promise<number>): Promise<{ cpuMs: number; systemMs: number }> {
  await Promise.all(Array.from({ length: 20 }, read));
  const expected = model.answerText.length;
  const before = process.cpuUsage();
  let started = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (started < streams) {
        started++;
        const length = await read();
        if (length !== expected) throw new Error(`read ${length} characters of ${expected}`);
      }
    }),
  );
  const used = process.cpuUsage(before);
  return {
    cpuMs: (used.user + used.system) / 1000 / streams,
    systemMs: used.system / 1000 / streams,
  };
}

out(
  `bench:upstream: ${streams} answers of ${tokens} tokens ${intervalMs} ms apart, ${concurrency} at once, Node ${process.version}`,
);
try {
  for (let round = 1; round <= rounds; round++) {
    for (const [name, read] of variants) {
      const { cpuMs, systemMs } = await measure(read);
      out(
        `  round ${round}, ${name}: ${cpuMs.toFixed(2)} ms CPU per answer (${systemMs.toFixed(2)} in the kernel)`,
      );
    }
  }
} finally {
  await stopProcessGroup(model.child);
}
