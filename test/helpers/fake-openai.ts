import { createHash } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/** What the next request to an endpoint should meet, in order; when the queue is empty, a normal answer. */
export type FakeBehaviour =
  | { kind: "ok" }
  | { kind: "status"; status: number; retryAfterMs?: number; body?: unknown }
  /** Accept the request and never answer. */
  | { kind: "hang" }
  | { kind: "malformed"; body: unknown }
  /** Chat only: stream `afterChunks` chunks of the reply, then stop sending but keep the connection open. */
  | { kind: "stall"; afterChunks: number }
  /** Chat only: stream `afterChunks` chunks, then destroy the connection mid-stream. */
  | { kind: "cut"; afterChunks: number }
  /** Chat only: stream the whole reply and `[DONE]`, then keep the response open. */
  | { kind: "open-after-done" };

/** A function call a scripted reply makes; `arguments` is sent as the model would, in fragments. */
export interface FakeToolCall {
  id?: string;
  name: string;
  /** JSON text (or deliberately not JSON). */
  arguments: string;
}

/** What /v1/chat/completions streams when nothing else is queued. */
export interface ChatReply {
  chunks: string[];
  /** Pause before each chunk. Milliseconds. */
  delayMs: number;
  finishReason: string;
  /** Streamed after the text as `tool_calls` deltas; the finish reason is then `tool_calls`. */
  toolCalls?: FakeToolCall[];
}

export interface RecordedRequest {
  method: string;
  path: string;
  body: unknown;
}

export interface FakeOpenAI {
  /** Base URL to give the openai SDK, ending in /v1. */
  baseURL: string;
  requests: RecordedRequest[];
  /** Requests whose connection closed before the server answered. */
  abandoned: RecordedRequest[];
  /** Queue behaviours for a path such as "/v1/embeddings". */
  enqueue(path: string, ...behaviours: FakeBehaviour[]): void;
  /** Texts sent to /v1/embeddings, across all requests. */
  embeddedTexts(): string[];
  /** The reply streamed by /v1/chat/completions; change it per test. */
  chatReply: ChatReply;
  /** Replies for the next streamed chat requests, in order, each over `chatReply`; then `chatReply`. */
  enqueueChatReplies(...replies: Partial<ChatReply>[]): void;
  /** The message content of a non-streaming /v1/chat/completions answer (`stream: false`). */
  completionText: string;
  /** How /v1/rerank scores a document against the query; by default, shared words. */
  rerankScore: (query: string, document: string) => number;
  close(): Promise<void>;
}

/**
 * A small OpenAI-compatible server on 127.0.0.1 speaking the real wire
 * protocol, so tests exercise the real `openai` SDK over real HTTP.
 */
export async function startFakeOpenAI(options: { dimensions?: number } = {}): Promise<FakeOpenAI> {
  const dimensions = options.dimensions ?? 8;
  const queues = new Map<string, FakeBehaviour[]>();
  const requests: RecordedRequest[] = [];
  const abandoned: RecordedRequest[] = [];
  const hanging = new Set<ServerResponse>();
  const scriptedReplies: Partial<ChatReply>[] = [];
  const nextReply = (): ChatReply => ({ ...fake.chatReply, ...scriptedReplies.shift() });
  const fake = {
    completionText: '{"keywords": []}',
    chatReply: {
      chunks: ["Roll back ", "with `kubectl rollout undo` [1]", "."],
      delayMs: 5,
      finishReason: "stop",
    },
    rerankScore: (query: string, document: string) => {
      const words = new Set(query.toLowerCase().split(/\W+/));
      return document
        .toLowerCase()
        .split(/\W+/)
        .filter((word) => words.has(word)).length;
    },
  };

  const server = createServer(async (request, response) => {
    const body = await readJson(request);
    const path = (request.url ?? "").split("?")[0] ?? "";
    const recorded = { method: request.method ?? "GET", path, body };
    requests.push(recorded);
    response.on("close", () => {
      if (!response.writableEnded) abandoned.push(recorded);
      hanging.delete(response);
    });
    const behaviour = queues.get(path)?.shift() ?? { kind: "ok" };
    switch (behaviour.kind) {
      case "hang":
        hanging.add(response);
        return;
      case "status":
        return sendJson(
          response,
          behaviour.status,
          behaviour.body ?? {
            error: { message: `fake failure ${behaviour.status}`, type: "fake" },
          },
          behaviour.retryAfterMs === undefined
            ? {}
            : { "retry-after-ms": String(behaviour.retryAfterMs) },
        );
      case "malformed":
        return sendJson(response, 200, behaviour.body);
      case "stall":
      case "cut":
        if (behaviour.kind === "stall") hanging.add(response);
        return streamChat(response, body, nextReply(), behaviour);
      case "open-after-done":
        hanging.add(response);
        return streamChat(response, body, nextReply(), undefined, { endAfterDone: false });
      case "ok":
        if (path === "/v1/embeddings") return answerEmbeddings(response, body, dimensions);
        if (path === "/v1/chat/completions")
          return (body as { stream?: boolean }).stream
            ? streamChat(response, body, nextReply(), undefined)
            : answerCompletion(response, body, fake.completionText);
        if (path === "/v1/rerank") return answerRerank(response, body, fake.rerankScore);
        return sendJson(response, 404, { error: { message: `no fake for ${path}` } });
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;

  const api: Omit<FakeOpenAI, "chatReply" | "completionText" | "rerankScore"> = {
    baseURL: `http://127.0.0.1:${port}/v1`,
    requests,
    abandoned,
    enqueueChatReplies(...replies) {
      scriptedReplies.push(...replies);
    },
    enqueue(path, ...behaviours) {
      queues.set(path, [...(queues.get(path) ?? []), ...behaviours]);
    },
    embeddedTexts() {
      return requests
        .filter((request) => request.path === "/v1/embeddings")
        .flatMap((request) => {
          const input = (request.body as { input?: unknown }).input;
          return Array.isArray(input) ? input.map(String) : [String(input)];
        });
    },
    async close() {
      for (const response of hanging) response.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  return Object.assign(fake, api);
}

/** The real wire format: `data: {chat.completion.chunk}` lines, a usage chunk, then `data: [DONE]`. */
async function streamChat(
  response: ServerResponse,
  body: unknown,
  reply: ChatReply,
  interruption: { kind: "stall" | "cut"; afterChunks: number } | undefined,
  options: { endAfterDone: boolean } = { endAfterDone: true },
): Promise<void> {
  const request = body as { model?: string; stream?: boolean };
  if (!request.stream) {
    return sendJson(response, 400, { error: { message: "this fake only streams" } });
  }
  response.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache" });
  const chunk = (delta: Record<string, unknown>, finishReason: string | null, usage?: unknown) =>
    `data: ${JSON.stringify({
      id: "chatcmpl-fake",
      object: "chat.completion.chunk",
      created: 0,
      model: request.model ?? "fake",
      choices: usage ? [] : [{ index: 0, delta, finish_reason: finishReason }],
      ...(usage ? { usage } : {}),
    })}\n\n`;
  response.write(chunk({ role: "assistant", content: "" }, null));
  for (const [position, text] of reply.chunks.entries()) {
    if (interruption && position >= interruption.afterChunks) {
      if (interruption.kind === "cut") response.destroy();
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, reply.delayMs));
    if (response.destroyed) return;
    response.write(chunk({ content: text }, null));
  }
  for (const [index, call] of (reply.toolCalls ?? []).entries()) {
    const id = call.id ?? `call_fake_${index}`;
    const half = Math.ceil(call.arguments.length / 2);
    response.write(
      chunk(
        {
          tool_calls: [
            { index, id, type: "function", function: { name: call.name, arguments: "" } },
          ],
        },
        null,
      ),
    );
    for (const fragment of [call.arguments.slice(0, half), call.arguments.slice(half)]) {
      response.write(chunk({ tool_calls: [{ index, function: { arguments: fragment } }] }, null));
    }
  }
  response.write(chunk({}, reply.toolCalls?.length ? "tool_calls" : reply.finishReason));
  response.write(
    chunk({}, null, {
      prompt_tokens: 42,
      completion_tokens: reply.chunks.length,
      total_tokens: 42 + reply.chunks.length,
    }),
  );
  if (options.endAfterDone) response.end("data: [DONE]\n\n");
  else response.write("data: [DONE]\n\n");
}

/** A non-streaming chat completion, as the real API sends it. */
function answerCompletion(response: ServerResponse, body: unknown, content: string): void {
  sendJson(response, 200, {
    id: "chatcmpl-fake",
    object: "chat.completion",
    created: 0,
    model: (body as { model?: string }).model ?? "fake",
    choices: [
      { index: 0, message: { role: "assistant", content }, finish_reason: "stop", logprobs: null },
    ],
    usage: { prompt_tokens: 42, completion_tokens: 7, total_tokens: 49 },
  });
}

function answerEmbeddings(response: ServerResponse, body: unknown, dimensions: number): void {
  const input = (body as { input?: unknown }).input;
  const texts = Array.isArray(input) ? input.map(String) : [String(input)];
  sendJson(response, 200, {
    object: "list",
    model: (body as { model?: string }).model ?? "fake",
    data: texts.map((text, index) => ({
      object: "embedding",
      index,
      embedding: vectorFor(text, dimensions),
    })),
    usage: { prompt_tokens: texts.length, total_tokens: texts.length },
  });
}

/** Cohere's /rerank shape: results sorted by score, each with the document's index. */
function answerRerank(
  response: ServerResponse,
  body: unknown,
  score: (query: string, document: string) => number,
): void {
  const request = body as { query?: string; documents?: string[] };
  const documents = request.documents ?? [];
  const results = documents
    .map((document, index) => ({ index, relevance_score: score(request.query ?? "", document) }))
    .sort((left, right) => right.relevance_score - left.relevance_score);
  sendJson(response, 200, { results });
}

/** Deterministic pseudo-embedding: the same text always maps to the same unit vector. */
export function vectorFor(text: string, dimensions: number): number[] {
  const digest = createHash("sha256").update(text).digest();
  const values = Array.from(
    { length: dimensions },
    (_, index) => (digest[index % digest.length] ?? 0) - 127.5,
  );
  const norm = Math.hypot(...values) || 1;
  return values.map((value) => value / norm);
}

async function readJson(request: IncomingMessage): Promise<unknown> {
  const parts: Buffer[] = [];
  for await (const part of request) parts.push(part as Buffer);
  const text = Buffer.concat(parts).toString("utf8");
  if (text === "") return {};
  try {
    return JSON.parse(text);
  } catch {
    return { unparsable: text };
  }
}

function sendJson(
  response: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  response.writeHead(status, { "content-type": "application/json", ...headers });
  response.end(JSON.stringify(body));
}
