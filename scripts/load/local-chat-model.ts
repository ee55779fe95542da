import { createServer, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/** How the local model answers every streamed chat completion. */
export interface LocalChatModelOptions {
  /** Tokens in each answer. */
  tokens: number;
  /** Pause before each token. Milliseconds. */
  intervalMs: number;
}

export interface LocalChatModel {
  /** Base URL for the openai SDK, ending in /v1. */
  baseURL: string;
  /** The text every answer streams, token by token: what a client must see in its deltas. */
  answerText: string;
  close(): Promise<void>;
}

/**
 * A minimal OpenAI-compatible chat endpoint on 127.0.0.1 for load benchmarks:
 * every `POST /v1/chat/completions` streams the same answer in the real wire
 * format (`data: {chunk}` lines, a finish chunk, a usage chunk, `[DONE]`).
 * Chunks are serialised once, so the model side stays cheap under load.
 */
export async function startLocalChatModel(options: LocalChatModelOptions): Promise<LocalChatModel> {
  const tokens = answerTokens(options.tokens);
  const chunk = (choices: unknown[], usage?: unknown) =>
    `data: ${JSON.stringify({
      id: "chatcmpl-bench",
      object: "chat.completion.chunk",
      created: 0,
      model: "bench-model",
      choices,
      ...(usage ? { usage } : {}),
    })}\n\n`;
  const tokenChunks = tokens.map((text) =>
    chunk([{ index: 0, delta: { content: text }, finish_reason: null }]),
  );
  const opening = chunk([
    { index: 0, delta: { role: "assistant", content: "" }, finish_reason: null },
  ]);
  const ending =
    chunk([{ index: 0, delta: {}, finish_reason: "stop" }]) +
    chunk([], {
      prompt_tokens: 900,
      completion_tokens: tokens.length,
      total_tokens: 900 + tokens.length,
    }) +
    "data: [DONE]\n\n";

  const streamAnswer = (response: ServerResponse) => {
    response.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache" });
    response.write(opening);
    let next = 0;
    const timer = setInterval(() => {
      if (response.destroyed) {
        clearInterval(timer);
        return;
      }
      const piece = tokenChunks[next++];
      if (piece !== undefined) response.write(piece);
      if (next >= tokenChunks.length) {
        clearInterval(timer);
        response.end(ending);
      }
    }, options.intervalMs);
    response.on("close", () => clearInterval(timer));
  };

  const server = createServer((request, response) => {
    // The request body (the prompt) is not needed: drain it and answer.
    request.resume();
    request.on("end", () => {
      if (request.method === "POST" && request.url?.startsWith("/v1/chat/completions")) {
        streamAnswer(response);
      } else {
        response.writeHead(404, { "content-type": "application/json" });
        response.end(JSON.stringify({ error: { message: `no route ${request.url}` } }));
      }
    });
  });
  server.maxConnections = 100_000;
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseURL: `http://127.0.0.1:${port}/v1`,
    answerText: tokens.join(""),
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** Words of a plausible runbook answer, cycled to the token count, citing source 1 once. */
function answerTokens(count: number): string[] {
  const words =
    "Check the pods with kubectl get pods and roll back the deployment with kubectl rollout undo if the error rate rose after the release".split(
      " ",
    );
  return Array.from({ length: count }, (_, index) =>
    index === 0 ? "Per [1]," : ` ${words[index % words.length]}`,
  );
}
