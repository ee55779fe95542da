import OpenAI from "openai";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createShutdownDrain, type ShutdownDrain } from "../../src/http/shutdown-drain.js";
import { type FakeOpenAI, startFakeOpenAI } from "../helpers/fake-openai.js";
import { readSse, type SseEvent } from "../helpers/read-sse.js";
import { startTestApp, type TestApp } from "../helpers/start-app.js";
import { waitFor } from "../helpers/wait-for.js";

describe("graceful shutdown (the drain main.ts starts on SIGTERM)", () => {
  let fake: FakeOpenAI;
  let app: TestApp;
  let shutdown: ShutdownDrain;

  beforeEach(async () => {
    fake = await startFakeOpenAI();
    shutdown = createShutdownDrain();
    app = await startTestApp({
      chat: {
        client: new OpenAI({ baseURL: fake.baseURL, apiKey: "test-key", maxRetries: 0 }),
        model: "fake-chat",
        maxTokens: 300,
        temperature: 0,
        timeoutMs: 30_000,
        totalTimeoutMs: 60_000,
      },
      drain: shutdown,
    });
  });
  afterEach(async () => {
    await app.close();
    await fake.close();
  });

  const ask = (headers: Record<string, string> = {}) =>
    fetch(`${app.baseUrl}/v1/ask`, {
      method: "POST",
      headers: { "content-type": "application/json", ...headers },
      body: JSON.stringify({ question: "How do I roll back checkout-api?" }),
    });

  it("refuses new requests with 503 shutting_down and Connection: close, /readyz included, while open answers go on", async () => {
    fake.enqueue("/v1/chat/completions", { kind: "stall", afterChunks: 1 });
    const open = await ask();
    const events: SseEvent[] = [];
    const read = (async () => {
      for await (const item of readSse(open)) if ("event" in item) events.push(item);
    })();
    await waitFor(() => events.some((event) => event.event === "delta"), "a first delta");

    const drained = shutdown.drain({ graceMs: 2_000 });
    const refused = await ask();
    expect(refused.status).toBe(503);
    expect(refused.headers.get("connection")).toBe("close");
    expect(refused.headers.get("retry-after")).toBe("1");
    expect(await refused.json()).toMatchObject({
      error: { code: "shutting_down", message: expect.stringMatching(/shutting down/) },
    });
    const ready = await fetch(`${app.baseUrl}/readyz`);
    expect(ready.status).toBe(503);
    expect(await ready.json()).toMatchObject({ error: { code: "shutting_down" } });
    // The process is alive: a liveness probe must not restart it mid-drain.
    expect((await fetch(`${app.baseUrl}/healthz`)).status).toBe(200);

    expect(await drained).toBe(1);
    await read;
    expect(events.map((event) => event.event)).toEqual(["sources", "delta", "error"]);
    expect(events.at(-1)?.data).toMatchObject({
      code: "shutting_down",
      message: expect.stringMatching(/cut short/),
    });
  });

  it("answers a JSON request cut by the deadline with 503 shutting_down", async () => {
    fake.enqueue("/v1/chat/completions", { kind: "stall", afterChunks: 1 });
    const pending = ask({ accept: "application/json" });
    await waitFor(() => fake.requests.some((request) => request.path === "/v1/chat/completions"));
    expect(await shutdown.drain({ graceMs: 50 })).toBe(1);
    const response = await pending;
    expect(response.status).toBe(503);
    expect(await response.json()).toMatchObject({ error: { code: "shutting_down" } });
  });

  it("drains at once when no answer is open", async () => {
    expect(await shutdown.drain({ graceMs: 60_000 })).toBe(0);
  });
});
