import { afterEach, describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config.js";
import { createHttpReranker } from "../../src/retrieval/http-reranker.js";
import { type FakeOpenAI, startFakeOpenAI } from "../helpers/fake-openai.js";
import { startTestApp, type TestApp } from "../helpers/start-app.js";

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

  it("keeps the fused order, and says so in the log, when the reranker fails", async () => {
    await start();
    fake.enqueue("/v1/rerank", { kind: "status", status: 500 });
    const results = await search("roll back the checkout deployment");
    expect(results.length).toBe(2);
    expect(
      app.logs.some((log) => log.level === "warn" && log.message.startsWith("rerank failed")),
    ).toBe(true);
  });

  it("is configured by RERANK_MODEL and an endpoint", () => {
    expect(loadConfig({}).rerank).toBeUndefined();
    expect(
      loadConfig({ RERANK_MODEL: "bge-reranker", RERANK_BASE_URL: "http://127.0.0.1:8000/v1" })
        .rerank,
    ).toMatchObject({ model: "bge-reranker", baseURL: "http://127.0.0.1:8000/v1" });
    expect(() => loadConfig({ RERANK_MODEL: "bge-reranker" })).toThrow(/RERANK_BASE_URL/);
  });
});
