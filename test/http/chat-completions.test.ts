import OpenAI from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SourceSummary } from "../../src/contract/source-summary.js";
import { createChatModel } from "../../src/model/create-chat-model.js";
import { startTestApp, type TestApp } from "../helpers/start-app.js";
import { addRunbooksWithVerify } from "../helpers/verify-runbooks.js";

const rollbackQuestion = "How do I roll back the checkout-api deployment?";

describe("/v1/chat/completions and /v1/models through the openai SDK", () => {
  let app: TestApp;
  let client: OpenAI;
  beforeAll(async () => {
    app = await startTestApp({
      config: { apiKeys: [{ name: "portal", key: "chat-key-1234567890" }] },
    });
    await addRunbooksWithVerify(app);
    client = new OpenAI({
      apiKey: "chat-key-1234567890",
      baseURL: `${app.baseUrl}/v1`,
      maxRetries: 0,
    });
  });
  afterAll(() => app.close());

  it("lists kb-answers as its model", async () => {
    const models = await client.models.list();
    expect(models.data.map((model) => model.id)).toEqual(["kb-answers"]);
  });

  it("answers the last user message whole, citations in the text and the sources in kb_sources", async () => {
    const completion = await client.chat.completions.create({
      model: "kb-answers",
      messages: [
        { role: "system", content: "Answer in French." },
        { role: "user", content: rollbackQuestion },
      ],
    });
    expect(completion.object).toBe("chat.completion");
    expect(completion.model).toBe("kb-answers");
    const [choice] = completion.choices;
    expect(choice?.finish_reason).toBe("stop");
    expect(choice?.message.role).toBe("assistant");
    const text = choice?.message.content ?? "";
    expect(text).toContain("rollout undo");
    expect(text).toMatch(/\[1\]/);
    const extension = completion as unknown as {
      kb_sources: SourceSummary[];
      kb_citations: number[];
    };
    expect(extension.kb_sources[0]?.path).toBe("runbooks/rollback-deployment.md");
    expect(extension.kb_citations).toContain(1);
    // The cited sources close the text as links a chat client can follow.
    expect(text).toContain(`${app.baseUrl}/v1/sections/${extension.kb_sources[0]?.id}`);
  });

  it("streams chat.completion.chunks: sources on the first, the finish reason on the last, then [DONE]", async () => {
    const stream = await client.chat.completions.create({
      model: "kb-answers",
      messages: [{ role: "user", content: rollbackQuestion }],
      stream: true,
    });
    const chunks: OpenAI.Chat.Completions.ChatCompletionChunk[] = [];
    for await (const chunk of stream) chunks.push(chunk);
    expect(chunks.every((chunk) => chunk.object === "chat.completion.chunk")).toBe(true);
    expect(chunks[0]?.choices[0]?.delta.role).toBe("assistant");
    const first = chunks[0] as unknown as { kb_sources: SourceSummary[] };
    expect(first.kb_sources[0]?.path).toBe("runbooks/rollback-deployment.md");
    const text = chunks.map((chunk) => chunk.choices[0]?.delta.content ?? "").join("");
    expect(text).toContain("rollout undo");
    expect(chunks.at(-1)?.choices[0]?.finish_reason).toBe("stop");
    expect((chunks.at(-1) as unknown as { kb_citations: number[] }).kb_citations).toContain(1);
  });

  it("ends the raw stream with data: [DONE]", async () => {
    const response = await fetch(`${app.baseUrl}/v1/chat/completions`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: "Bearer chat-key-1234567890" },
      body: JSON.stringify({
        messages: [{ role: "user", content: rollbackQuestion }],
        stream: true,
      }),
    });
    expect(response.headers.get("content-type")).toMatch(/^text\/event-stream/);
    expect((await response.text()).trimEnd().endsWith("data: [DONE]")).toBe(true);
  });

  it("reads earlier turns as history: a follow-up after a failover answer gets that runbook's Verify", async () => {
    const question = "How do I fail over orders-db to the replica?";
    const first = await client.chat.completions.create({
      model: "kb-answers",
      messages: [{ role: "user", content: question }],
    });
    const followUp = await client.chat.completions.create({
      model: "kb-answers",
      messages: [
        { role: "user", content: question },
        { role: "assistant", content: first.choices[0]?.message.content ?? "" },
        { role: "user", content: "and how do I verify it?" },
      ],
    });
    const sources = (followUp as unknown as { kb_sources: SourceSummary[] }).kb_sources;
    expect(sources[0]).toMatchObject({
      path: "runbooks/orders-db-failover.md",
      headingPath: ["Verify"],
    });
  });

  it("refuses messages without a user message in OpenAI's error shape", async () => {
    const failure = await client.chat.completions
      .create({ model: "kb-answers", messages: [{ role: "system", content: "hi" }] })
      .catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(OpenAI.BadRequestError);
    const error = failure as InstanceType<typeof OpenAI.BadRequestError>;
    expect(error.status).toBe(400);
    expect(error.code).toBe("invalid_request");
    expect(error.type).toBe("invalid_request_error");
    expect(error.param).toBe("messages");
  });

  it("asks for the same API key as /v1/ask", async () => {
    const stranger = new OpenAI({ apiKey: "wrong", baseURL: `${app.baseUrl}/v1`, maxRetries: 0 });
    const failure = await stranger.models.list().catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(OpenAI.AuthenticationError);
    expect((failure as InstanceType<typeof OpenAI.AuthenticationError>).type).toBe(
      "authentication_error",
    );
  });
});

describe("kb-answers answering with another kb-answers as its chat model", () => {
  let upstream: TestApp;
  let app: TestApp;
  beforeAll(async () => {
    upstream = await startTestApp();
    app = await startTestApp({
      chat: createChatModel({
        apiKey: "unused",
        baseURL: `${upstream.baseUrl}/v1`,
        model: "kb-answers",
        maxRetries: 0,
        timeoutMs: 10_000,
        totalTimeoutMs: 20_000,
        maxTokens: 500,
        contextTokens: 8_192,
        temperature: 0,
      }),
    });
  });
  afterAll(async () => {
    await app.close();
    await upstream.close();
  });

  it("streams the first instance's answer as its own model answer", async () => {
    const response = await fetch(`${app.baseUrl}/v1/ask`, {
      method: "POST",
      headers: { "content-type": "application/json", accept: "application/json" },
      body: JSON.stringify({ question: rollbackQuestion }),
    });
    expect(response.status).toBe(200);
    const answer = (await response.json()) as {
      mode: string;
      model: string;
      answer: string;
      fallback: unknown;
    };
    expect(answer).toMatchObject({ mode: "llm", model: "kb-answers", fallback: null });
    // The first instance's extractive answer, which this one passes on as its model's text.
    expect(answer.answer).toMatch(/^From \*\*/);
  });
});
