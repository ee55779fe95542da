import OpenAI from "openai";
import { afterEach, describe, expect, it } from "vitest";
import { createMetrics } from "../../src/metrics/create-metrics.js";
import { createHttpReranker } from "../../src/retrieval/http-reranker.js";
import { type FakeOpenAI, startFakeOpenAI } from "../helpers/fake-openai.js";
import { collectSse } from "../helpers/read-sse.js";
import { startTestApp, type TestApp } from "../helpers/start-app.js";

const adminApiKey = "admin-key-0123456789abcdef";

/** One sample's value from the Prometheus text format, its labels matched as a subset. */
function sample(text: string, name: string, labels: Record<string, string> = {}): number {
  let total: number | undefined;
  for (const line of text.split("\n")) {
    const match = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!match || match[1] !== name) continue;
    const found = Object.fromEntries(
      [...(match[2] ?? "").matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((pair) => [
        pair[1],
        pair[2],
      ]),
    );
    if (Object.entries(labels).every(([key, value]) => found[key] === value)) {
      total = (total ?? 0) + Number(match[3]);
    }
  }
  if (total === undefined) throw new Error(`no sample ${name} ${JSON.stringify(labels)}`);
  return total;
}

describe("GET /metrics (Prometheus, behind ADMIN_API_KEY)", () => {
  let app: TestApp | undefined;
  let fake: FakeOpenAI | undefined;
  afterEach(async () => {
    await app?.close();
    await fake?.close();
    app = undefined;
    fake = undefined;
  });

  const scrape = async () => {
    const response = await fetch(`${app?.baseUrl}/metrics`, {
      headers: { authorization: `Bearer ${adminApiKey}` },
    });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/^text\/plain; version=0\.0\.4/);
    return response.text();
  };
  const ask = (question: string) =>
    fetch(`${app?.baseUrl}/v1/ask`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ question }),
    });

  it("refuses a scrape without the admin key, or with another key", async () => {
    app = await startTestApp({
      config: { adminApiKey, apiKeys: [{ name: "portal", key: "portal-key-0123456789abcdef" }] },
      metrics: createMetrics(),
    });
    const none = await fetch(`${app.baseUrl}/metrics`);
    expect(none.status).toBe(401);
    expect(none.headers.get("www-authenticate")).toMatch(/^Bearer/);
    expect(await none.json()).toMatchObject({ error: { code: "unauthorized" } });
    const portal = await fetch(`${app.baseUrl}/metrics`, {
      headers: { authorization: "Bearer portal-key-0123456789abcdef" },
    });
    expect(portal.status).toBe(401);
  });

  it("does not exist without ADMIN_API_KEY", async () => {
    app = await startTestApp({ metrics: createMetrics() });
    expect((await fetch(`${app.baseUrl}/metrics`)).status).toBe(404);
  });

  it("counts requests by route pattern, extractive answers, coverage and the index generation", async () => {
    app = await startTestApp({ config: { adminApiKey }, metrics: createMetrics() });
    const answer = await collectSse(await ask("How do I roll back checkout-api?"));
    expect(answer.at(-1)).toMatchObject({ event: "done", data: { mode: "extractive" } });
    const sources = answer[0]?.data.sources as { id: string }[];
    await fetch(`${app.baseUrl}/v1/sections/${sources[0]?.id}`);
    await collectSse(await ask("What is the office wifi password for guests?"));

    const text = await scrape();
    expect(sample(text, "kb_http_requests_total", { route: "/v1/ask", status: "200" })).toBe(2);
    // The pattern, never the id: one series however many sections are read.
    expect(sample(text, "kb_http_requests_total", { route: "/v1/sections/:id" })).toBe(1);
    expect(text).not.toContain(sources[0]?.id);
    expect(
      sample(text, "kb_answers_total", {
        mode: "extractive",
        finish_reason: "stop",
        coverage: "covered",
      }),
    ).toBe(1);
    expect(sample(text, "kb_answers_total", { finish_reason: "not_covered" })).toBe(1);
    expect(sample(text, "kb_retrieval_duration_seconds_count")).toBe(2);
    expect(sample(text, "kb_answer_first_token_seconds_count", { mode: "extractive" })).toBe(2);
    expect(sample(text, "kb_answer_deltas_total")).toBeGreaterThanOrEqual(2);
    expect(sample(text, "kb_open_answer_streams")).toBe(0);
    expect(sample(text, "kb_answer_queue_depth")).toBe(0);
    expect(sample(text, "kb_index_generation")).toBe(1);
    // prom-client's process metrics come along.
    expect(sample(text, "process_cpu_seconds_total")).toBeGreaterThan(0);
  });

  it("counts a model endpoint's 500 as an upstream error, and the answer it fell back to", async () => {
    fake = await startFakeOpenAI();
    app = await startTestApp({
      config: { adminApiKey },
      metrics: createMetrics(),
      chat: {
        client: new OpenAI({ baseURL: fake.baseURL, apiKey: "test-key", maxRetries: 0 }),
        model: "fake-chat",
        maxTokens: 300,
        temperature: 0,
        timeoutMs: 5_000,
        totalTimeoutMs: 30_000,
      },
    });
    await collectSse(await ask("How do I roll back checkout-api?"));
    fake.enqueue("/v1/chat/completions", { kind: "status", status: 500 });
    const fallback = await collectSse(await ask("How do I roll back checkout-api?"));
    expect(fallback.at(-1)).toMatchObject({
      event: "done",
      data: { mode: "extractive", fallback: { code: "upstream_error" } },
    });

    const text = await scrape();
    expect(
      sample(text, "kb_upstream_errors_total", { endpoint: "chat", code: "upstream_error" }),
    ).toBe(1);
    expect(sample(text, "kb_answers_total", { mode: "llm", finish_reason: "stop" })).toBe(1);
    expect(sample(text, "kb_answers_total", { mode: "extractive", finish_reason: "stop" })).toBe(1);
    expect(sample(text, "kb_answer_tokens_total", { kind: "completion" })).toBeGreaterThan(0);
    expect(sample(text, "kb_answer_first_token_seconds_count", { mode: "llm" })).toBe(1);
  });

  it("counts a failed rerank, which the search itself survives, under its endpoint", async () => {
    fake = await startFakeOpenAI();
    app = await startTestApp({
      config: { adminApiKey },
      metrics: createMetrics(),
      reranker: createHttpReranker({
        baseURL: fake.baseURL,
        apiKey: undefined,
        model: "fake-rerank",
        timeoutMs: 5_000,
      }),
    });
    fake.enqueue("/v1/rerank", { kind: "status", status: 500 });
    const search = await fetch(`${app.baseUrl}/v1/search?q=roll+back+checkout-api`);
    expect(search.status).toBe(200);
    const text = await scrape();
    expect(
      sample(text, "kb_upstream_errors_total", { endpoint: "rerank", code: "upstream_error" }),
    ).toBe(1);
    expect(sample(text, "kb_http_requests_total", { route: "/v1/search", status: "200" })).toBe(1);
  });

  it("counts admin ingests by outcome, with the documents they saw", async () => {
    app = await startTestApp({
      config: { adminApiKey },
      metrics: createMetrics(),
      adminIngest: true,
    });
    const run = await fetch(`${app.baseUrl}/v1/admin/ingest`, {
      method: "POST",
      headers: { authorization: `Bearer ${adminApiKey}` },
    });
    expect(run.status).toBe(200);
    const text = await scrape();
    expect(sample(text, "kb_ingest_runs_total", { trigger: "admin", outcome: "succeeded" })).toBe(
      1,
    );
    expect(sample(text, "kb_ingest_documents_total", { outcome: "unchanged" })).toBe(5);
    expect(sample(text, "kb_ingest_duration_seconds_count", { trigger: "admin" })).toBe(1);
  });
});
