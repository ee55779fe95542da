import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createChatModel } from "../../src/model/create-chat-model.js";
import { type FakeOpenAI, startFakeOpenAI } from "../helpers/fake-openai.js";
import { startTestApp, type TestApp } from "../helpers/start-app.js";
import { addRunbooksWithVerify } from "../helpers/verify-runbooks.js";

const failoverQuestion = "How do I fail over orders-db to the replica?";

interface Source {
  n: number;
  id: string;
  path: string;
  headingPath: string[];
}
interface JsonAnswer {
  sources: Source[];
  answer: string;
  citations: number[];
}

describe("/v1/ask with history (follow-up questions)", () => {
  let app: TestApp;
  let fake: FakeOpenAI;
  let modelApp: TestApp;
  beforeAll(async () => {
    fake = await startFakeOpenAI();
    [app, modelApp] = await Promise.all([
      startTestApp(),
      startTestApp({
        chat: createChatModel({
          apiKey: "test",
          baseURL: fake.baseURL,
          model: "fake-model",
          maxRetries: 0,
          timeoutMs: 5_000,
          totalTimeoutMs: 10_000,
          maxTokens: 500,
          contextTokens: 8_192,
          temperature: 0,
        }),
      }),
    ]);
    await Promise.all([addRunbooksWithVerify(app), addRunbooksWithVerify(modelApp)]);
  });
  afterAll(async () => {
    await Promise.all([app.close(), modelApp.close()]);
    await fake.close();
  });

  const ask = async (body: unknown, on: TestApp = app) =>
    fetch(`${on.baseUrl}/v1/ask`, {
      method: "POST",
      headers: { "content-type": "application/json", accept: "application/json" },
      body: JSON.stringify(body),
    });
  const askJson = async (body: unknown) => (await (await ask(body)).json()) as JsonAnswer;
  const firstTurn = async () => {
    const answer = await askJson({ question: failoverQuestion });
    const cited = answer.sources.filter((source) => answer.citations.includes(source.n));
    return { question: failoverQuestion, answer: answer.answer, citations: cited.map((s) => s.id) };
  };
  const lead = (answer: JsonAnswer) => answer.sources[0];

  it("reads 'and how do I verify it?' as about the runbook the last answer cited", async () => {
    const turn = await firstTurn();
    expect(turn.citations.length).toBeGreaterThan(0);
    const followUp = await askJson({ question: "and how do I verify it?", history: [turn] });
    expect(lead(followUp)).toMatchObject({
      path: "runbooks/orders-db-failover.md",
      headingPath: ["Verify"],
    });
    expect(followUp.answer).toContain("patronictl -c /etc/patroni.yml list");
  });

  it("finds the same section from the previous question alone, as a chat client sends it back without ids", async () => {
    const { question, answer } = await firstTurn();
    const followUp = await askJson({
      question: "and how do I verify it?",
      history: [{ question, answer }],
    });
    expect(lead(followUp)).toMatchObject({
      path: "runbooks/orders-db-failover.md",
      headingPath: ["Verify"],
    });
  });

  it("without the history, the same follow-up does not find that runbook's Verify section", async () => {
    const alone = await askJson({ question: "and how do I verify it?" });
    expect(lead(alone)?.path).not.toBe("runbooks/orders-db-failover.md");
  });

  it("searches a question that stands alone as usual, history or not", async () => {
    const question = "How do I roll back the checkout-api deployment?";
    const turn = await firstTurn();
    const withHistory = await askJson({ question, history: [turn] });
    const without = await askJson({ question });
    expect(withHistory.sources.map((source) => source.id)).toEqual(
      without.sources.map((source) => source.id),
    );
  });

  it.each([
    [
      "too many turns",
      Array.from({ length: 11 }, () => ({ question: "q", answer: "a" })),
      "history",
      "must have at most 10 turns",
    ],
    [
      "an answer over 8,000 characters",
      [{ question: "q", answer: "a".repeat(8_001) }],
      "history.0.answer",
      "must be at most 8000 characters",
    ],
    ["a turn without its question", [{ answer: "a" }], "history.0.question", undefined],
    [
      "an unknown field in a turn",
      [{ question: "q", answer: "a", sources: [] }],
      "history.0.sources",
      "is not a known field",
    ],
  ])("refuses %s with a 400 naming the field", async (_case, history, field, message) => {
    const response = await ask({ question: "and how do I verify it?", history });
    expect(response.status).toBe(400);
    const body = (await response.json()) as {
      error: { code: string; details: { field: string; message: string }[] };
    };
    expect(body.error.code).toBe("invalid_request");
    const problem = body.error.details.find((detail) => detail.field === field);
    expect(problem).toBeDefined();
    if (message) expect(problem?.message).toBe(message);
  });

  it("gives the model the previous turns between its instructions and the question", async () => {
    const turn = { question: failoverQuestion, answer: "Promote the replica with patronictl [1]." };
    const response = await ask({ question: "and how do I verify it?", history: [turn] }, modelApp);
    expect(response.status).toBe(200);
    const sent = fake.requests.filter((request) => request.path === "/v1/chat/completions").at(-1)
      ?.body as { messages: { role: string; content: string }[] };
    expect(sent.messages.map((message) => message.role)).toEqual([
      "system",
      "user",
      "assistant",
      "user",
    ]);
    expect(sent.messages[1]?.content).toBe(failoverQuestion);
    expect(sent.messages[2]?.content).toBe(turn.answer);
    expect(sent.messages[3]?.content).toContain("Question: and how do I verify it?");
    // The follow-up was searched within the failover runbook, so the model sees its Verify section.
    expect(sent.messages[3]?.content).toContain("patronictl -c /etc/patroni.yml list");
  });
});
