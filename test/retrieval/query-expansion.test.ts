import OpenAI, { APIUserAbortError } from "openai";
import { afterEach, describe, expect, it } from "vitest";
import { KbError } from "../../src/errors.js";
import type { ChatModel } from "../../src/model/chat-model.js";
import { createChatQueryExpander } from "../../src/retrieval/chat-query-expander.js";
import { type FakeBehaviour, type FakeOpenAI, startFakeOpenAI } from "../helpers/fake-openai.js";
import { collectSse } from "../helpers/read-sse.js";
import { startTestApp, type TestApp } from "../helpers/start-app.js";
import { waitFor } from "../helpers/wait-for.js";

describe("query expansion with the chat model (plumbing; no real model is reachable here)", () => {
  let fake: FakeOpenAI;
  let app: TestApp;
  afterEach(async () => {
    await app?.close();
    await fake?.close();
  });

  const start = async (options: { expand?: boolean; timeoutMs?: number } = {}) => {
    fake = await startFakeOpenAI();
    const chat: ChatModel = {
      client: new OpenAI({ baseURL: fake.baseURL, apiKey: "k", maxRetries: 2, timeout: 5_000 }),
      model: "fake-chat",
      maxTokens: 300,
      temperature: 0,
      timeoutMs: 5_000,
      totalTimeoutMs: 30_000,
    };
    app = await startTestApp({
      chat,
      ...(options.expand === false
        ? {}
        : {
            queryExpander: createChatQueryExpander(chat, {
              timeoutMs: options.timeoutMs ?? 2_000,
            }),
          }),
    });
  };
  const search = async (question: string, topK = 3) =>
    (
      (await (
        await fetch(`${app.baseUrl}/v1/search?q=${encodeURIComponent(question)}&topK=${topK}`)
      ).json()) as { results: { path: string; headingPath: string[] }[] }
    ).results;
  const expansionRequests = () =>
    fake.requests.filter((request) => request.path === "/v1/chat/completions");
  const warned = () =>
    app.logs.some(
      (log) => log.level === "warn" && log.message.startsWith("query expansion failed"),
    );

  it("searches the expansion's terms too, so a question only they match finds its runbook", async () => {
    await start({ expand: false });
    expect(await search("the zeppelin mooring mast wobbles")).toEqual([]);
    await app.close();
    await fake.close();

    await start();
    fake.completionText = '```json\n{"keywords": ["certificate expired", "TLS", "CDN"]}\n```';
    const results = await search("the zeppelin mooring mast wobbles");
    expect(results[0]?.path).toBe("runbooks/certificate-expiry.md");
    const [request] = expansionRequests();
    const body = request?.body as {
      model: string;
      stream: boolean;
      max_tokens: number;
      messages: { role: string; content: string }[];
    };
    expect(body).toMatchObject({ model: "fake-chat", stream: false, max_tokens: 120 });
    expect(body.messages.at(-1)?.content).toContain("zeppelin mooring mast");
    expect(warned()).toBe(false);
  });

  it("weighs the expansion below the question: its own best match stays first", async () => {
    await start();
    fake.completionText = '{"keywords": ["certificate expired", "TLS"]}';
    const results = await search("roll back the checkout deployment", 8);
    expect(results[0]?.path).toBe("runbooks/rollback-deployment.md");
    expect(results.map((result) => result.path)).toContain("runbooks/certificate-expiry.md");
  });

  it("expands before a streamed answer: one short JSON call, then the answer grounded in what it found", async () => {
    await start();
    fake.completionText = '{"keywords": ["kubectl rollout undo", "KubeDeploymentRolloutStuck"]}';
    const events = await collectSse(
      await fetch(`${app.baseUrl}/v1/ask`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ question: "How do I roll back checkout-api?" }),
      }),
    );
    expect(events[0]?.event).toBe("sources");
    const sources = events[0]?.data.sources as { path: string }[];
    expect(sources[0]?.path).toBe("runbooks/rollback-deployment.md");
    expect(events.at(-1)).toMatchObject({ event: "done", data: { mode: "llm" } });
    expect(
      expansionRequests().map((request) => (request.body as { stream: boolean }).stream),
    ).toEqual([false, true]);
  });

  const question = "roll back the checkout deployment";
  it.each<[string, (fake: FakeOpenAI) => void]>([
    ["prose instead of JSON", (server) => (server.completionText = "Try checking certificates!")],
    ["JSON of the wrong shape", (server) => (server.completionText = '{"terms": "TLS"}')],
    [
      "an HTTP 500, not retried",
      (server) => server.enqueue("/v1/chat/completions", { kind: "status", status: 500 }),
    ],
    [
      "an HTTP 429, not retried",
      (server) => server.enqueue("/v1/chat/completions", { kind: "status", status: 429 }),
    ],
    [
      "a malformed body",
      (server) =>
        server.enqueue("/v1/chat/completions", {
          kind: "malformed",
          body: { choices: "nope" },
        } satisfies FakeBehaviour),
    ],
    [
      "no answer within the deadline",
      (server) => server.enqueue("/v1/chat/completions", { kind: "hang" }),
    ],
  ])("searches with the question alone, and logs a warning, after %s", async (_case, arrange) => {
    await start({ expand: false });
    const plain = await search(question);
    await app.close();
    await fake.close();

    await start({ timeoutMs: 300 });
    arrange(fake);
    const startedAt = performance.now();
    expect(await search(question)).toEqual(plain);
    expect(performance.now() - startedAt).toBeLessThan(2_000);
    expect(expansionRequests()).toHaveLength(1);
    expect(warned()).toBe(true);
  });
});

describe("query expander failures, called directly", () => {
  let fake: FakeOpenAI;
  afterEach(() => fake?.close());

  const expanderFor = async () => {
    fake = await startFakeOpenAI();
    const chat: ChatModel = {
      client: new OpenAI({ baseURL: fake.baseURL, apiKey: "k", maxRetries: 2, timeout: 5_000 }),
      model: "fake-chat",
      maxTokens: 300,
      temperature: 0,
      timeoutMs: 5_000,
      totalTimeoutMs: 30_000,
    };
    return createChatQueryExpander(chat, { timeoutMs: 300 });
  };
  const query = { question: "roll back the checkout deployment", topK: 3 };

  it.each<[string, FakeBehaviour, string]>([
    ["a 429 as rate_limited", { kind: "status", status: 429 }, "rate_limited"],
    ["a 500 as upstream_error", { kind: "status", status: 500 }, "upstream_error"],
    ["no answer within the deadline as upstream_timeout", { kind: "hang" }, "upstream_timeout"],
  ])("classifies %s, naming the endpoint and model", async (_case, behaviour, code) => {
    const expander = await expanderFor();
    fake.enqueue("/v1/chat/completions", behaviour);
    const failure = await expander.expand(query).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(KbError);
    expect(failure).toMatchObject({ code });
    expect((failure as KbError).message).toContain(fake.baseURL);
    expect((failure as KbError).message).toContain("fake-chat");
  });

  it("passes the caller's own abort through untouched", async () => {
    const expander = await expanderFor();
    fake.enqueue("/v1/chat/completions", { kind: "hang" });
    const controller = new AbortController();
    const pending = expander.expand(query, { signal: controller.signal });
    await waitFor(() => fake.requests.length === 1);
    controller.abort();
    const failure = await pending.catch((error: unknown) => error);
    expect(failure).not.toBeInstanceOf(KbError);
    expect(failure).toBeInstanceOf(APIUserAbortError);
  });
});
