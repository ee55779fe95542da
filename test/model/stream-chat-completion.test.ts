import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { KbError } from "../../src/errors.js";
import type { ChatModel } from "../../src/model/chat-model.js";
import type { ChatStreamPart } from "../../src/model/chat-stream-part.js";
import { createChatModel } from "../../src/model/create-chat-model.js";
import { streamChatCompletion } from "../../src/model/stream-chat-completion.js";
import { type FakeOpenAI, startFakeOpenAI } from "../helpers/fake-openai.js";
import { waitFor } from "../helpers/wait-for.js";

/**
 * The chat model as the server builds it (createChatModel: the SDK on our node:http fetch),
 * streaming from the fake over real HTTP. The route tests cover the same cases on the SDK's
 * default fetch.
 */
describe("streamChatCompletion on the server's chat model", () => {
  let fake: FakeOpenAI;
  beforeEach(async () => {
    fake = await startFakeOpenAI();
  });
  afterEach(async () => {
    await fake.close();
  });

  const chatModel = (options: Partial<Parameters<typeof createChatModel>[0]> = {}): ChatModel =>
    createChatModel({
      apiKey: "test-key",
      baseURL: fake.baseURL,
      model: "fake-chat",
      maxRetries: 0,
      timeoutMs: 5_000,
      totalTimeoutMs: 30_000,
      maxTokens: 300,
      contextTokens: 8_192,
      temperature: 0,
      ...options,
    });
  const question = [{ role: "user" as const, content: "How do I roll back checkout-api?" }];

  /** The parts streamed, or the error the stream ended with. */
  const run = async (chat: ChatModel, signal?: AbortSignal, extra: Partial<ChatModel> = {}) => {
    const parts: ChatStreamPart[] = [];
    try {
      const model = { ...chat, ...extra };
      for await (const part of streamChatCompletion(model, question, signal)) parts.push(part);
      return { parts, error: undefined };
    } catch (error) {
      return { parts, error };
    }
  };
  const textOf = (parts: ChatStreamPart[]) =>
    parts.map((part) => (part.type === "text" ? part.text : "")).join("");

  it("streams the model's text exactly, then its finish reason and usage", async () => {
    fake.chatReply = {
      chunks: ["Roll ", "back ", "ünïcode ✓ [1]."],
      delayMs: 1,
      finishReason: "stop",
    };
    const { parts, error } = await run(chatModel());
    expect(error).toBeUndefined();
    expect(textOf(parts)).toBe("Roll back ünïcode ✓ [1].");
    expect(parts.at(-1)).toEqual({
      type: "finish",
      finishReason: "stop",
      usage: { promptTokens: 42, completionTokens: 3, totalTokens: 45 },
    });
    expect(fake.requests.at(-1)?.body).toMatchObject({ model: "fake-chat", stream: true });
  });

  it("reuses the connection for the next answer", async () => {
    const ports = new Set<number>();
    const server = createServer((request, response) => {
      ports.add(request.socket.remotePort ?? 0);
      request.resume();
      request.on("end", () => {
        response.writeHead(200, { "content-type": "text/event-stream" });
        response.end(
          'data: {"choices":[{"index":0,"delta":{"content":"ok"},"finish_reason":"stop"}]}\n\ndata: [DONE]\n\n',
        );
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as AddressInfo;
    const chat = chatModel({ baseURL: `http://127.0.0.1:${port}/v1` });
    for (let answer = 0; answer < 3; answer++) expect(textOf((await run(chat)).parts)).toBe("ok");
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    expect(ports.size).toBe(1);
  });

  it.each([
    [429, "rate_limited"],
    [500, "upstream_error"],
  ])("maps HTTP %i to %s, naming the upstream's message", async (status, code) => {
    fake.enqueue("/v1/chat/completions", { kind: "status", status });
    const { error } = await run(chatModel());
    expect(error).toBeInstanceOf(KbError);
    expect(error).toMatchObject({ code, details: { status } });
    expect(String((error as Error).message)).toContain(`fake failure ${status}`);
  });

  it("retries a 503 before the stream starts", async () => {
    fake.enqueue("/v1/chat/completions", { kind: "status", status: 503, retryAfterMs: 1 });
    const { parts, error } = await run(chatModel({ maxRetries: 1 }));
    expect(error).toBeUndefined();
    expect(parts.at(-1)).toMatchObject({ type: "finish", finishReason: "stop" });
    expect(fake.requests).toHaveLength(2);
  });

  it("fails with upstream_error when nothing listens", async () => {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as AddressInfo;
    await new Promise<void>((resolve) => server.close(() => resolve()));
    const { error } = await run(chatModel({ baseURL: `http://127.0.0.1:${port}/v1` }));
    expect(error).toMatchObject({ code: "upstream_error" });
  });

  it("ends a stream cut half-way with upstream_error after its text", async () => {
    fake.chatReply = { chunks: ["one ", "two ", "three"], delayMs: 5, finishReason: "stop" };
    fake.enqueue("/v1/chat/completions", { kind: "cut", afterChunks: 2 });
    const { parts, error } = await run(chatModel());
    expect(error).toMatchObject({ code: "upstream_error" });
    expect(parts.every((part) => part.type === "text")).toBe(true);
  });

  it("finishes an answer whose upstream keeps the body open after [DONE], and closes the request", async () => {
    fake.enqueue("/v1/chat/completions", { kind: "open-after-done" });
    const { parts, error } = await run(chatModel({ timeoutMs: 60_000 }));
    expect(error).toBeUndefined();
    expect(parts.at(-1)).toMatchObject({ type: "finish", finishReason: "stop" });
    await waitFor(() => fake.abandoned.length === 1, "the open request to be closed");
  });

  it("ends a stalled stream with upstream_timeout and closes the request", async () => {
    fake.enqueue("/v1/chat/completions", { kind: "stall", afterChunks: 1 });
    const { parts, error } = await run(chatModel({ timeoutMs: 300 }));
    expect(error).toMatchObject({ code: "upstream_timeout" });
    expect(textOf(parts)).toBe("Roll back ");
    await waitFor(() => fake.abandoned.length === 1, "the stalled request to be closed");
  });

  it("passes the caller's abort through untouched and closes the request", async () => {
    fake.chatReply = { chunks: ["a ", "b ", "c "], delayMs: 300, finishReason: "stop" };
    const controller = new AbortController();
    const running = run(chatModel(), controller.signal);
    await waitFor(() => fake.requests.length === 1, "the model to be asked");
    controller.abort();
    const { error } = await running;
    expect(error).not.toBeInstanceOf(KbError);
    expect((error as Error).name).toBe("AbortError");
    await waitFor(() => fake.abandoned.length === 1, "the request to be closed");
  });

  it("cuts an answer over the length bound on our side and closes the request", async () => {
    fake.chatReply = {
      chunks: Array.from({ length: 200 }, () => "more text "),
      delayMs: 1,
      finishReason: "stop",
    };
    const { parts, error } = await run(chatModel({ maxTokens: 10 }));
    expect(error).toBeUndefined();
    expect(textOf(parts)).toHaveLength(80);
    expect(parts.at(-1)).toMatchObject({ type: "finish", finishReason: "length" });
    await waitFor(() => fake.abandoned.length === 1, "the request to be closed");
  });

  it("reads in batches when asked to pause after text, each read's tokens one piece, every character kept", async () => {
    const chunks = Array.from({ length: 30 }, (_, index) => `t${index} `);
    fake.chatReply = { chunks, delayMs: 10, finishReason: "stop" };
    const { parts, error } = await run(chatModel(), undefined, { readPauseMs: () => 150 });
    expect(error).toBeUndefined();
    expect(textOf(parts)).toBe(chunks.join(""));
    const pieces = parts.filter((part) => part.type === "text");
    // 30 tokens 10 ms apart, read every 150 ms: a handful of reads, not one per token (with
    // room for a slow machine that spreads the tokens out).
    expect(pieces.length).toBeLessThan(chunks.length / 2);
    expect(parts.at(-1)).toMatchObject({ type: "finish", finishReason: "stop" });
  });

  it("does not count its own pause as the upstream's silence", async () => {
    const chunks = ["one ", "two ", "three ", "four "];
    fake.chatReply = { chunks, delayMs: 10, finishReason: "stop" };
    const { parts, error } = await run(chatModel({ timeoutMs: 100 }), undefined, {
      readPauseMs: () => 300,
    });
    expect(error).toBeUndefined();
    expect(textOf(parts)).toBe(chunks.join(""));
  });

  it("passes on the text read with a malformed chunk before failing", async () => {
    const server = createServer((_request, response) => {
      response.writeHead(200, { "content-type": "text/event-stream" });
      // One write: the text and the bad chunk arrive in one read.
      response.end('data: {"choices":[{"delta":{"content":"Roll back"}}]}\n\ndata: {not json\n\n');
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as AddressInfo;
    try {
      const { parts, error } = await run(chatModel({ baseURL: `http://127.0.0.1:${port}/v1` }));
      expect(textOf(parts)).toBe("Roll back");
      expect(error).toMatchObject({ code: "upstream_error" });
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });

  it("joins tool calls from their fragments", async () => {
    fake.chatReply = {
      chunks: [],
      delayMs: 1,
      finishReason: "stop",
      toolCalls: [{ id: "call_1", name: "search_kb", arguments: '{"query":"checkout rollback"}' }],
    };
    const parts: ChatStreamPart[] = [];
    for await (const part of streamChatCompletion(chatModel(), question, undefined, {
      tools: [{ type: "function", function: { name: "search_kb", parameters: {} } }],
      toolChoice: "auto",
    })) {
      parts.push(part);
    }
    expect(parts.at(-1)).toMatchObject({
      type: "finish",
      toolCalls: [{ id: "call_1", name: "search_kb", arguments: '{"query":"checkout rollback"}' }],
    });
  });

  it("answers a call without streaming through the same client", async () => {
    fake.completionText = '{"keywords": ["rollback"]}';
    const completion = await chatModel().client.chat.completions.create({
      model: "fake-chat",
      messages: question,
    });
    expect(completion.choices[0]?.message.content).toBe('{"keywords": ["rollback"]}');
  });

  it("reads the body of a failed non-streaming call into the SDK's error", async () => {
    fake.enqueue("/v1/chat/completions", { kind: "status", status: 400 });
    await expect(
      chatModel().client.chat.completions.create({ model: "fake-chat", messages: question }),
    ).rejects.toMatchObject({ status: 400, message: expect.stringContaining("fake failure 400") });
  });
});
