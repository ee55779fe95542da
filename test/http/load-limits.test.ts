import OpenAI from "openai";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { ServerConfig } from "../../src/config.js";
import { createAnswerSlots } from "../../src/http/limits/answer-slots.js";
import { createRateLimiter } from "../../src/http/limits/rate-limiter.js";
import { type FakeOpenAI, startFakeOpenAI } from "../helpers/fake-openai.js";
import { collectSse } from "../helpers/read-sse.js";
import { startTestApp, type TestApp } from "../helpers/start-app.js";
import { waitFor } from "../helpers/wait-for.js";

describe("load limits", () => {
  let fake: FakeOpenAI;
  let app: TestApp;

  const start = async (config: Partial<ServerConfig>) => {
    app = await startTestApp({
      chat: {
        client: new OpenAI({ baseURL: fake.baseURL, apiKey: "test-key", maxRetries: 0 }),
        model: "fake-chat",
        maxTokens: 300,
        temperature: 0,
        timeoutMs: 5_000,
        totalTimeoutMs: 30_000,
      },
      config,
    });
  };
  beforeEach(async () => {
    fake = await startFakeOpenAI();
  });
  afterEach(async () => {
    await app?.close();
    await fake.close();
  });

  const ask = () =>
    fetch(`${app.baseUrl}/v1/ask`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ question: "How do I roll back checkout-api?" }),
    });
  const chatCalls = () =>
    fake.requests.filter((request) => request.path === "/v1/chat/completions").length;

  it("runs at most MAX_CONCURRENT_ANSWERS model calls, queues a few, and sheds the rest with 503", async () => {
    await start({ maxConcurrentAnswers: 2, answerQueueSize: 1, answerQueueTimeoutMs: 10_000 });
    fake.chatReply = {
      chunks: ["Roll back [1]. ", ...Array.from({ length: 8 }, () => "step ")],
      delayMs: 100,
      finishReason: "stop",
    };
    const responses = [ask(), ask(), ask(), ask(), ask()];
    const settled = await Promise.all(responses);
    const shed = settled.filter((response) => response.status === 503);
    expect(shed).toHaveLength(2);
    for (const response of shed) {
      expect(response.headers.get("retry-after")).toMatch(/^\d+$/);
      expect(await response.json()).toMatchObject({
        error: { code: "overloaded", message: expect.stringMatching(/try again/) },
      });
    }
    // Two answers stream while the third waits for a slot.
    await waitFor(() => chatCalls() === 2, "two model calls");
    expect(chatCalls()).toBe(2);
    const streams = await Promise.all(
      settled.filter((response) => response.status === 200).map(collectSse),
    );
    for (const events of streams) expect(events.at(-1)?.event).toBe("done");
    expect(chatCalls()).toBe(3);
  });

  it("gives up on the queue after ANSWER_QUEUE_TIMEOUT_MS, and a client that leaves frees its slot", async () => {
    await start({ maxConcurrentAnswers: 1, answerQueueSize: 5, answerQueueTimeoutMs: 300 });
    fake.chatReply = {
      chunks: ["Roll back [1]. ", "slowly "],
      delayMs: 1_000,
      finishReason: "stop",
    };
    const controller = new AbortController();
    const first = await fetch(`${app.baseUrl}/v1/ask`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ question: "How do I roll back checkout-api?" }),
      signal: controller.signal,
    });
    expect(first.status).toBe(200);
    const queued = await ask();
    expect(queued.status).toBe(503);
    expect(await queued.json()).toMatchObject({ error: { code: "overloaded" } });

    controller.abort();
    fake.chatReply = { chunks: ["Roll back [1]."], delayMs: 1, finishReason: "stop" };
    await waitFor(() => fake.abandoned.length === 1, "the first model call to be closed");
    const next = await ask();
    expect(next.status).toBe(200);
    expect((await collectSse(next)).at(-1)?.event).toBe("done");
  });

  it("limits each caller to RATE_LIMIT_PER_MINUTE requests with 429 and Retry-After, keys apart", async () => {
    app = await startTestApp({
      config: {
        rateLimitPerMinute: 3,
        apiKeys: [
          { name: "portal", key: "portal-key-0123456789" },
          { name: "bot", key: "bot-key-0123456789ab" },
        ],
      },
    });
    const search = (key: string) =>
      fetch(`${app.baseUrl}/v1/search?question=rollback`, {
        headers: { authorization: `Bearer ${key}` },
      });
    for (let n = 0; n < 3; n++) expect((await search("portal-key-0123456789")).status).toBe(200);
    const limited = await search("portal-key-0123456789");
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
    expect(await limited.json()).toMatchObject({
      error: { code: "rate_limited", message: expect.stringContaining("RATE_LIMIT_PER_MINUTE") },
    });
    expect((await search("bot-key-0123456789ab")).status).toBe(200);
  });
});

describe("the limits themselves", () => {
  it("refills a caller's bucket over time and says how long to wait", () => {
    const limiter = createRateLimiter(60);
    for (let n = 0; n < 60; n++) expect(limiter.take("a", 0)).toBeUndefined();
    expect(limiter.take("a", 0)).toBeCloseTo(1, 5);
    expect(limiter.take("a", 1_000)).toBeUndefined();
    expect(limiter.take("b", 1_000)).toBeUndefined();
  });

  it("passes a freed slot to the longest-waiting answer, and releasing twice frees one slot", async () => {
    const slots = createAnswerSlots({ concurrency: 1, queueSize: 2, queueTimeoutMs: 5_000 });
    const signal = new AbortController().signal;
    const release = await slots.acquire(signal);
    const order: string[] = [];
    const second = slots.acquire(signal).then((done) => {
      order.push("second");
      return done;
    });
    const third = slots.acquire(signal).then((done) => {
      order.push("third");
      return done;
    });
    expect(slots.waiting).toBe(2);
    release();
    release();
    (await second)();
    (await third)();
    expect(order).toEqual(["second", "third"]);
    expect(slots.running).toBe(0);
  });
});
