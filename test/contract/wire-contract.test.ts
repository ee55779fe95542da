import OpenAI from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AnswerEvent } from "../../src/contract/answer-event.js";
import { AskRequest } from "../../src/contract/ask-request.js";
import { ErrorBody } from "../../src/contract/error-body.js";
import { JsonAnswer } from "../../src/contract/json-answer.js";
import { SearchResponse } from "../../src/contract/search-response.js";
import { SectionResponse } from "../../src/contract/section-response.js";
import { type FakeOpenAI, startFakeOpenAI } from "../helpers/fake-openai.js";
import { collectSse } from "../helpers/read-sse.js";
import { startTestApp, type TestApp } from "../helpers/start-app.js";

const question = "How do I roll back checkout-api?";

/** The server's own output, read as a portal would, against the contract's schemas. */
describe("the wire contract", () => {
  let fake: FakeOpenAI;
  let extractive: TestApp;
  let model: TestApp;
  beforeAll(async () => {
    fake = await startFakeOpenAI();
    [extractive, model] = await Promise.all([
      startTestApp(),
      startTestApp({
        chat: {
          client: new OpenAI({ baseURL: fake.baseURL, apiKey: "k", maxRetries: 0 }),
          model: "fake-chat",
          maxTokens: 100,
          temperature: 0,
          timeoutMs: 5_000,
          totalTimeoutMs: 30_000,
        },
      }),
    ]);
  });
  afterAll(async () => {
    await extractive?.close();
    await model?.close();
    await fake?.close();
  });

  const ask = (app: TestApp, body: unknown, accept = "text/event-stream") =>
    fetch(`${app.baseUrl}/v1/ask`, {
      method: "POST",
      headers: { "content-type": "application/json", accept },
      body: JSON.stringify(body),
    });

  it.each([
    ["an extractive answer", () => extractive, question],
    ["a model answer", () => model, question],
    ["an answer the knowledge base does not cover", () => extractive, "Best sourdough recipe?"],
  ])("parses every event of %s, the data exactly as sent", async (_case, app, asked) => {
    const events = await collectSse(await ask(app(), { question: asked }));
    expect(events.at(-1)?.event).toBe("done");
    for (const { event, data } of events) {
      const parsed = AnswerEvent.safeParse({ ...data, type: event });
      expect(parsed.error?.issues).toBeUndefined();
      // Nothing the server sends falls outside the schema (zod drops unknown keys).
      expect(parsed.data).toEqual({ type: event, ...data });
    }
  });

  it("parses the warning of a made-up citation, in the stream and in the JSON answer", async () => {
    const reply = fake.chatReply;
    fake.chatReply = {
      chunks: ["Roll back [1]", " as [9] says."],
      delayMs: 1,
      finishReason: "stop",
    };
    try {
      const events = await collectSse(await ask(model, { question }));
      const warning = events.find((event) => event.event === "warning");
      expect(AnswerEvent.parse({ ...warning?.data, type: "warning" })).toEqual({
        type: "warning",
        ...warning?.data,
      });
      const body = await (await ask(model, { question }, "application/json")).json();
      expect(JsonAnswer.parse(body)).toEqual(body);
      expect(body.warnings).toEqual([warning?.data]);
    } finally {
      fake.chatReply = reply;
    }
  });

  it("parses every event of an answer extracted because the model failed, and its JSON", async () => {
    fake.enqueue("/v1/chat/completions", { kind: "status", status: 500 });
    const events = await collectSse(await ask(model, { question }));
    expect(events.map((event) => event.event)).toContain("warning");
    expect(events.at(-1)?.data.fallback).toEqual({ code: "upstream_error" });
    for (const { event, data } of events) {
      expect(AnswerEvent.parse({ ...data, type: event })).toEqual({ type: event, ...data });
    }
    fake.enqueue("/v1/chat/completions", { kind: "status", status: 500 });
    const body = await (await ask(model, { question }, "application/json")).json();
    expect(JsonAnswer.parse(body)).toEqual(body);
  });

  it("parses the error event of a model that fails after text", async () => {
    fake.enqueue("/v1/chat/completions", { kind: "cut", afterChunks: 2 });
    const events = await collectSse(await ask(model, { question }));
    const last = events.at(-1);
    expect(last?.event).toBe("error");
    expect(AnswerEvent.parse({ ...last?.data, type: last?.event })).toMatchObject({
      type: "error",
      code: "upstream_error",
    });
  });

  it("parses the JSON answer, and a failed one as an error body with its request id", async () => {
    const body = await (await ask(extractive, { question }, "application/json")).json();
    expect(JsonAnswer.parse(body)).toEqual(body);
    fake.enqueue("/v1/chat/completions", { kind: "cut", afterChunks: 2 });
    const failed = await ask(model, { question, stream: false });
    expect(failed.status).toBe(502);
    const error = ErrorBody.parse(await failed.json());
    expect(error).toMatchObject({
      requestId: expect.any(String),
      error: { code: "upstream_error" },
    });
  });

  it("parses /v1/search and /v1/sections/:id answers", async () => {
    const search = await (
      await fetch(`${extractive.baseUrl}/v1/search?q=${encodeURIComponent(question)}&topK=3`)
    ).json();
    const { results } = SearchResponse.parse(search);
    expect(results).toEqual((search as { results: unknown[] }).results);
    const section = await (
      await fetch(`${extractive.baseUrl}/v1/sections/${results[0]?.id}`)
    ).json();
    expect(SectionResponse.parse(section)).toEqual(section);
  });

  it.each([
    [
      "a bad body",
      "/v1/search",
      { method: "POST", headers: { "content-type": "application/json" }, body: '{"question":""}' },
      400,
    ],
    ["a body that is not JSON", "/v1/search", { method: "POST", body: "question=x" }, 415],
    ["an unknown section", `/v1/sections/${"0".repeat(24)}`, {}, 404],
    ["an unknown route", "/v1/nope", {}, 404],
  ])("parses the error body of %s", async (_case, path, init, status) => {
    const response = await fetch(`${extractive.baseUrl}${path}`, init);
    expect(response.status).toBe(status);
    const body = await response.json();
    expect(ErrorBody.parse(body)).toEqual(body);
  });

  it("takes the documented request body, trimmed, and refuses unknown fields", () => {
    expect(
      AskRequest.parse({
        question: "  disk full  ",
        ticket: { service: "checkout-api", fields: { cluster: "prod-eu-1" } },
        filters: { kind: "runbook", tags: ["k8s", " "] },
        topK: 3,
        stream: false,
      }),
    ).toEqual({
      question: "disk full",
      ticket: { service: "checkout-api", fields: { cluster: "prod-eu-1" } },
      filters: { kind: ["runbook"], tags: ["k8s"] },
      topK: 3,
      stream: false,
    });
    expect(AskRequest.safeParse({ question: "x", top_k: 3 }).success).toBe(false);
  });
});
