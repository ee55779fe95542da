import { afterEach, describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config.js";
import { KbError } from "../../src/errors.js";
import { createHttpReranker } from "../../src/retrieval/http-reranker.js";
import { type FakeBehaviour, type FakeOpenAI, startFakeOpenAI } from "../helpers/fake-openai.js";
import { startTestApp, type TestApp } from "../helpers/start-app.js";
import { waitFor } from "../helpers/wait-for.js";

describe("rerank step (plumbing; no real reranker is reachable here)", () => {
  let fake: FakeOpenAI;
  let app: TestApp;
  afterEach(async () => {
    await app?.close();
    await fake?.close();
  });

  const start = async () => {
    fake = await startFakeOpenAI();
    app = await startTestApp({
      reranker: createHttpReranker({
        baseURL: fake.baseURL,
        apiKey: "k",
        model: "fake-rerank",
        timeoutMs: 2_000,
      }),
    });
  };
  const search = async (question: string) =>
    (
      (await (
        await fetch(`${app.baseUrl}/v1/search?q=${encodeURIComponent(question)}&topK=2`)
      ).json()) as { results: { path: string; headingPath: string[]; score: number }[] }
    ).results;

  it("orders the best sections by the reranker's scores and keeps topK", async () => {
    await start();
    // A reranker with an opinion of its own: the longest section wins.
    fake.rerankScore = (_query, document) => document.length;
    const results = await search("roll back the checkout deployment");
    const request = fake.requests.find((entry) => entry.path === "/v1/rerank")?.body as {
      model: string;
      query: string;
      documents: string[];
    };
    expect(request.model).toBe("fake-rerank");
    expect(request.query).toBe("roll back the checkout deployment");
    expect(request.documents).toHaveLength(6);
    const longest =
      [...request.documents].sort((left, right) => right.length - left.length)[0] ?? "";
    expect(results).toHaveLength(2);
    expect(results[0]?.score).toBe(longest.length);
    expect(longest.split("\n")[0]).toContain(results[0]?.headingPath.at(-1) ?? "missing");
  });

  it.each([500, 429])(
    "keeps the fused order, and says so in the log, when the reranker answers %i",
    async (status) => {
      await start();
      fake.enqueue("/v1/rerank", { kind: "status", status });
      const results = await search("roll back the checkout deployment");
      expect(results.length).toBe(2);
      expect(
        app.logs.some((log) => log.level === "warn" && log.message.startsWith("rerank failed")),
      ).toBe(true);
    },
  );

  it("is configured by RERANK_MODEL and an endpoint", () => {
    expect(loadConfig({}).rerank).toBeUndefined();
    expect(
      loadConfig({ RERANK_MODEL: "bge-reranker", RERANK_BASE_URL: "http://127.0.0.1:8000/v1" })
        .rerank,
    ).toMatchObject({ model: "bge-reranker", baseURL: "http://127.0.0.1:8000/v1" });
    expect(() => loadConfig({ RERANK_MODEL: "bge-reranker" })).toThrow(/RERANK_BASE_URL/);
  });
});

describe("reranker failures, called directly", () => {
  let fake: FakeOpenAI;
  afterEach(() => fake?.close());

  const rerankerFor = async (options: { baseURL?: string } = {}) => {
    fake = await startFakeOpenAI();
    return createHttpReranker({
      baseURL: options.baseURL ?? fake.baseURL,
      apiKey: "k",
      model: "fake-rerank",
      timeoutMs: 300,
    });
  };
  const documents = ["Roll back with kubectl rollout undo.", "Renew the certificate."];

  it.each<[string, FakeBehaviour, string]>([
    ["a 429 as rate_limited", { kind: "status", status: 429 }, "rate_limited"],
    ["a 500 as upstream_error", { kind: "status", status: 500 }, "upstream_error"],
    ["no answer within the deadline as upstream_timeout", { kind: "hang" }, "upstream_timeout"],
  ])("classifies %s, naming the endpoint and model", async (_case, behaviour, code) => {
    const reranker = await rerankerFor();
    fake.enqueue("/v1/rerank", behaviour);
    const failure = await reranker.rerank("roll back", documents).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(KbError);
    expect(failure).toMatchObject({ code });
    expect((failure as KbError).message).toContain(`${fake.baseURL}/rerank`);
    expect((failure as KbError).message).toContain("fake-rerank");
  });

  it("classifies an unreachable endpoint as upstream_error", async () => {
    const closed = await startFakeOpenAI();
    const unreachable = closed.baseURL;
    await closed.close();
    const reranker = await rerankerFor({ baseURL: unreachable });
    const failure = await reranker.rerank("roll back", documents).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(KbError);
    expect(failure).toMatchObject({ code: "upstream_error" });
  });

  it("passes the caller's own abort through untouched", async () => {
    const reranker = await rerankerFor();
    fake.enqueue("/v1/rerank", { kind: "hang" });
    const controller = new AbortController();
    const pending = reranker.rerank("roll back", documents, { signal: controller.signal });
    await waitFor(() => fake.requests.length === 1);
    controller.abort();
    const failure = await pending.catch((error: unknown) => error);
    expect(failure).not.toBeInstanceOf(KbError);
    expect(failure).toMatchObject({ name: "AbortError" });
  });
});
