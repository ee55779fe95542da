import OpenAI from "openai";
import { afterEach, describe, expect, it } from "vitest";
import { type ClientEvent, createAskClient } from "../../src/client/ask-client.js";
import { type FakeOpenAI, startFakeOpenAI } from "../helpers/fake-openai.js";
import { startTestApp, type TestApp } from "../helpers/start-app.js";
import { waitFor } from "../helpers/wait-for.js";

async function collect(events: AsyncIterable<ClientEvent>): Promise<ClientEvent[]> {
  const all: ClientEvent[] = [];
  for await (const event of events) all.push(event);
  return all;
}

describe("createAskClient", () => {
  let app: TestApp | undefined;
  let fake: FakeOpenAI | undefined;
  afterEach(async () => {
    await app?.close();
    await fake?.close();
    app = undefined;
    fake = undefined;
  });

  const withModel = async (reply: { chunks: string[]; delayMs: number }) => {
    fake = await startFakeOpenAI();
    fake.chatReply = { ...reply, finishReason: "stop" };
    app = await startTestApp({
      chat: {
        client: new OpenAI({ baseURL: fake.baseURL, apiKey: "k", maxRetries: 0 }),
        model: "fake-chat",
        maxTokens: 100,
        temperature: 0,
        timeoutMs: 5_000,
      },
    });
    return createAskClient({ baseUrl: app.baseUrl });
  };

  it("yields the server's events as typed values, sources first and done last", async () => {
    app = await startTestApp();
    const client = createAskClient({ baseUrl: `${app.baseUrl}/` });
    const events = await collect(
      client.ask({ question: "How do I roll back checkout-api?", topK: 3 }),
    );
    expect(events[0]?.type).toBe("sources");
    expect(events.at(-1)?.type).toBe("done");
    const sources = events[0]?.type === "sources" ? events[0].sources : [];
    expect(sources[0]?.path).toBe("runbooks/rollback-deployment.md");
    const text = events.flatMap((event) => (event.type === "delta" ? [event.text] : [])).join("");
    expect(text).toContain("rollout undo");
  });

  it("returns a 400 as an error value naming the problem", async () => {
    app = await startTestApp();
    const events = await collect(createAskClient({ baseUrl: app.baseUrl }).ask({ question: "" }));
    expect(events).toEqual([
      expect.objectContaining({
        type: "error",
        code: "invalid_request",
        status: 400,
        message: expect.stringContaining("question"),
      }),
    ]);
  });

  it("returns an unreachable server as a network_error value", async () => {
    const events = await collect(
      createAskClient({ baseUrl: "http://127.0.0.1:9" }).ask({ question: "x" }),
    );
    expect(events).toEqual([expect.objectContaining({ type: "error", code: "network_error" })]);
  });

  it("passes an upstream failure through as the stream's error event", async () => {
    const client = await withModel({ chunks: ["a"], delayMs: 1 });
    fake?.enqueue("/v1/chat/completions", { kind: "status", status: 500 });
    const events = await collect(client.ask({ question: "How do I roll back checkout-api?" }));
    expect(events.map((event) => event.type)).toEqual(["sources", "error"]);
    expect(events[1]).toMatchObject({ code: "upstream_error" });
  });

  it("aborting the signal ends the iteration quietly and aborts the model call", async () => {
    const client = await withModel({
      chunks: Array.from({ length: 40 }, (_, n) => `w${n} `),
      delayMs: 100,
    });
    const controller = new AbortController();
    const seen: string[] = [];
    for await (const event of client.ask({
      question: "How do I roll back checkout-api?",
      signal: controller.signal,
    })) {
      seen.push(event.type);
      if (event.type === "delta") controller.abort();
    }
    expect(seen.at(-1)).toBe("delta");
    await waitFor(() => fake?.abandoned.length === 1, "the model call to be aborted");
  });

  it("stopping the iteration early closes the connection too", async () => {
    const client = await withModel({
      chunks: Array.from({ length: 40 }, (_, n) => `w${n} `),
      delayMs: 100,
    });
    for await (const event of client.ask({ question: "How do I roll back checkout-api?" })) {
      if (event.type === "delta") break;
    }
    await waitFor(() => fake?.abandoned.length === 1, "the model call to be aborted");
  });
});
