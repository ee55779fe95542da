import OpenAI from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ChatModel } from "../../src/model/chat-model.js";
import { type FakeOpenAI, startFakeOpenAI } from "../helpers/fake-openai.js";
import { startTestApp, type TestApp } from "../helpers/start-app.js";

/** A ticket that has been open for weeks: hundreds of comments and a pasted log. */
function longTicket() {
  return {
    title: "Redis connection pool exhausted on cart",
    description: "First report: checkout takes 30 s to load since the morning.",
    comments: [
      {
        author: "reporter",
        text: "OLDEST: still slow\nERROR: connection refused to pgbouncer:6432",
      },
      ...Array.from({ length: 400 }, (_, n) => ({
        author: "agent",
        text: `checked again, no change (${n})`,
      })),
      { author: "sre", text: "Internal: restarted the pods on ip-10-2-3-4", internal: true },
      {
        author: "agent",
        text: "NEWEST: Timeout waiting for connection from pool in the cart logs",
      },
    ],
    attachments: [
      {
        name: "cart.log",
        text: Array.from({ length: 1_200 }, (_, n) =>
          n === 900 ? "FATAL: redis pool exhausted (maxTotal=8)" : `INFO request ${n} ok`,
        ).join("\n"),
      },
    ],
  };
}

describe("long ticket threads", () => {
  let fake: FakeOpenAI;
  let offline: TestApp;
  let withModel: TestApp;
  const contextTokens = 2_000;
  const maxTokens = 300;
  beforeAll(async () => {
    fake = await startFakeOpenAI();
    const chat: ChatModel = {
      client: new OpenAI({ baseURL: fake.baseURL, apiKey: "test-key", maxRetries: 0 }),
      model: "fake-chat",
      maxTokens,
      temperature: 0,
      timeoutMs: 5_000,
      totalTimeoutMs: 30_000,
      contextTokens,
    };
    [offline, withModel] = await Promise.all([startTestApp(), startTestApp({ chat })]);
  });
  afterAll(async () => {
    await Promise.all([offline.close(), withModel.close()]);
    await fake.close();
  });

  const post = (app: TestApp, path: string, body: unknown) =>
    fetch(`${app.baseUrl}${path}`, {
      method: "POST",
      headers: { "content-type": "application/json", accept: "application/json" },
      body: JSON.stringify(body),
    });
  const lastPrompt = () => {
    const request = fake.requests.filter((item) => item.path === "/v1/chat/completions").at(-1);
    if (!request) throw new Error("the model was not called");
    return (request.body as { messages: { role: string; content: string }[] }).messages;
  };

  it("keeps the prompt within CHAT_CONTEXT_TOKENS: the first description, the newest comments, the error lines, and what was left out", async () => {
    const response = await post(withModel, "/v1/ask", {
      question: "what should I do now?",
      ticket: longTicket(),
    });
    expect(response.status).toBe(200);
    const answer = (await response.json()) as { mode: string; coverage: string };
    expect(answer).toMatchObject({ coverage: "covered", mode: "llm" });
    const messages = lastPrompt();
    const characters = messages.reduce((sum, message) => sum + message.content.length, 0);
    expect(Math.ceil(characters / 4)).toBeLessThanOrEqual(contextTokens - maxTokens);
    const user = messages.at(-1)?.content ?? "";
    expect(user).toContain("First report: checkout takes 30 s to load");
    expect(user).toContain("NEWEST: Timeout waiting for connection from pool");
    expect(user).toContain("FATAL: redis pool exhausted (maxTotal=8)");
    expect(user).toContain("ERROR: connection refused to pgbouncer:6432");
    expect(user).not.toContain("OLDEST: still slow");
    expect(user).toMatch(
      /\[Left out to fit: \d+ older comments and 1 attachment; \d+ error lines? from them kept below\.\]/,
    );
    // The question stays last, after the thread.
    expect(user.trim().endsWith("Question: what should I do now?")).toBe(true);
  });

  it("searches with the thread's newest word on the problem", async () => {
    const response = await post(offline, "/v1/ask", {
      question: "what should I do now?",
      ticket: { title: "cart is slow", comments: longTicket().comments },
    });
    const body = (await response.json()) as { sources: { path: string }[] };
    expect(body.sources[0]?.path).toBe("runbooks/redis-pool-exhausted.md");
  });

  it("never puts internal notes in a draft for the reporter, and keeps them in the resolver's", async () => {
    for (const audience of ["reporter", "resolver"] as const) {
      const response = await post(withModel, "/v1/draft-reply", { ticket: longTicket(), audience });
      expect(response.status).toBe(200);
      const prompt = JSON.stringify(lastPrompt());
      if (audience === "reporter")
        expect(prompt).not.toContain("restarted the pods on ip-10-2-3-4");
      else expect(prompt).toContain("restarted the pods on ip-10-2-3-4");
    }
  });
});
