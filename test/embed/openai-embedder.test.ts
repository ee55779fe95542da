import OpenAI from "openai";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createOpenAIEmbedder } from "../../src/embed/openai-embedder.js";
import { KbError } from "../../src/errors.js";
import { type FakeOpenAI, startFakeOpenAI, vectorFor } from "../helpers/fake-openai.js";
import { waitFor } from "../helpers/wait-for.js";

describe("OpenAI-compatible embedder", () => {
  let fake: FakeOpenAI;
  beforeEach(async () => {
    fake = await startFakeOpenAI({ dimensions: 8 });
  });
  afterEach(() => fake.close());

  const embedderFor = (
    options: {
      maxRetries?: number;
      timeout?: number;
      batchSize?: number;
      deadlineMs?: number;
    } = {},
  ) =>
    createOpenAIEmbedder({
      client: new OpenAI({
        baseURL: fake.baseURL,
        apiKey: "test-key",
        maxRetries: options.maxRetries ?? 2,
        timeout: options.timeout ?? 10_000,
      }),
      model: "fake-embed",
      batchSize: options.batchSize ?? 3,
      concurrency: 2,
      ...(options.deadlineMs === undefined ? {} : { deadlineMs: options.deadlineMs }),
    });

  it("batches texts and returns vectors in input order", async () => {
    const texts = ["one", "two", "three", "four", "five", "six", "seven"];
    const vectors = await embedderFor().embed(texts);
    expect(fake.requests.filter((request) => request.path === "/v1/embeddings")).toHaveLength(3);
    expect(vectors.map((vector) => Array.from(vector))).toEqual(
      texts.map((text) => Array.from(Float32Array.from(vectorFor(text, 8)))),
    );
    expect(fake.requests[0]?.body).toMatchObject({ model: "fake-embed", encoding_format: "float" });
  });

  it("ends a Retry-After wait at its deadline instead of sleeping as long as the endpoint asks", async () => {
    // 55 s, longer than this test may run: only the deadline can end the wait in time.
    fake.enqueue("/v1/embeddings", { kind: "status", status: 429, retryAfterMs: 55_000 });
    await expect(embedderFor({ deadlineMs: 500 }).embed(["alpha"])).rejects.toMatchObject({
      code: "upstream_timeout",
      message: expect.stringMatching(/took longer than 500 ms/),
    });
    expect(fake.requests).toHaveLength(1);
  });

  it("retries a 429 and then succeeds", async () => {
    fake.enqueue("/v1/embeddings", { kind: "status", status: 429, retryAfterMs: 10 });
    const vectors = await embedderFor().embed(["alpha"]);
    expect(vectors).toHaveLength(1);
    expect(fake.requests).toHaveLength(2);
  });

  it("gives up on repeated 500s with an upstream_error naming the endpoint", async () => {
    fake.enqueue(
      "/v1/embeddings",
      { kind: "status", status: 500, retryAfterMs: 1 },
      { kind: "status", status: 500, retryAfterMs: 1 },
    );
    const failure = await embedderFor({ maxRetries: 1 })
      .embed(["alpha"])
      .catch((error) => error);
    expect(failure).toBeInstanceOf(KbError);
    expect(failure).toMatchObject({ code: "upstream_error" });
    expect(failure.message).toContain(fake.baseURL);
    expect(failure.message).toContain("500");
    expect(fake.requests).toHaveLength(2);
  });

  it("reports rate limiting that outlasts the retries as rate_limited", async () => {
    fake.enqueue("/v1/embeddings", { kind: "status", status: 429, retryAfterMs: 1 });
    const failure = await embedderFor({ maxRetries: 0 })
      .embed(["alpha"])
      .catch((error) => error);
    expect(failure).toMatchObject({ code: "rate_limited" });
  });

  it("aborts a hanging request when the caller's signal fires, closing the connection", async () => {
    fake.enqueue("/v1/embeddings", { kind: "hang" });
    const controller = new AbortController();
    const pending = embedderFor().embed(["alpha"], { signal: controller.signal });
    await waitFor(() => fake.requests.length === 1);
    controller.abort();
    await expect(pending).rejects.toThrow(/abort/i);
    await waitFor(() => fake.abandoned.length === 1);
    expect(fake.requests).toHaveLength(1);
  });

  it("turns a request that outlasts the timeout into upstream_timeout", async () => {
    fake.enqueue("/v1/embeddings", { kind: "hang" });
    const failure = await embedderFor({ maxRetries: 0, timeout: 200 })
      .embed(["alpha"])
      .catch((error) => error);
    expect(failure).toMatchObject({ code: "upstream_timeout" });
  });

  it("rejects a response with the wrong number of embeddings", async () => {
    fake.enqueue("/v1/embeddings", {
      kind: "malformed",
      body: { data: [{ index: 0, embedding: [1, 0] }] },
    });
    const failure = await embedderFor()
      .embed(["alpha", "beta"])
      .catch((error) => error);
    expect(failure).toMatchObject({ code: "upstream_error" });
    expect(failure.message).toMatch(/malformed/);
  });
});
