import OpenAI from "openai";
import { afterEach, describe, expect, it } from "vitest";
import type { ChatModel } from "../../src/model/chat-model.js";
import { createChatQueryExpander } from "../../src/retrieval/chat-query-expander.js";
import { type FakeOpenAI, startFakeOpenAI } from "../helpers/fake-openai.js";
import { collectSse } from "../helpers/read-sse.js";
import { startTestApp, type TestApp } from "../helpers/start-app.js";

describe("request logs", () => {
  let app: TestApp | undefined;
  let fake: FakeOpenAI | undefined;
  afterEach(async () => {
    await app?.close();
    await fake?.close();
  });

  it("put the request id on every line a request logs, retrieval's warnings included", async () => {
    fake = await startFakeOpenAI();
    const chat: ChatModel = {
      client: new OpenAI({ baseURL: fake.baseURL, apiKey: "k", maxRetries: 0 }),
      model: "fake-chat",
      maxTokens: 300,
      temperature: 0,
      timeoutMs: 5_000,
      totalTimeoutMs: 30_000,
    };
    app = await startTestApp({
      chat,
      queryExpander: createChatQueryExpander(chat, { timeoutMs: 2_000 }),
    });
    // The expansion fails (a warning deep in retrieval), then the answer itself fails over.
    fake.enqueue(
      "/v1/chat/completions",
      { kind: "status", status: 500 },
      { kind: "status", status: 500 },
    );
    // Start-up lines (the prompt files loaded) belong to no request.
    const startUpLines = app.logs.length;
    const response = await fetch(`${app.baseUrl}/v1/ask`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-request-id": "incident-4711-ask" },
      body: JSON.stringify({ question: "How do I roll back checkout-api?" }),
    });
    expect((await collectSse(response)).at(-1)?.event).toBe("done");
    const requestLines = app.logs.slice(startUpLines);
    const messages = requestLines.map((log) => log.message);
    expect(messages).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^query expansion failed/),
        "model failed, answering extractively",
        "request",
      ]),
    );
    for (const log of requestLines) expect(log.fields?.requestId).toBe("incident-4711-ask");
  });
});
