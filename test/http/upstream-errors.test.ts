import OpenAI from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createOpenAIEmbedder } from "../../src/embed/openai-embedder.js";
import { type FakeOpenAI, startFakeOpenAI } from "../helpers/fake-openai.js";
import { startTestApp, type TestApp } from "../helpers/start-app.js";

describe("an upstream failure reaching the HTTP edge", () => {
  let fake: FakeOpenAI;
  let app: TestApp;
  beforeAll(async () => {
    fake = await startFakeOpenAI({ dimensions: 8 });
    app = await startTestApp({
      embedder: createOpenAIEmbedder({
        client: new OpenAI({ baseURL: fake.baseURL, apiKey: "test-key", maxRetries: 0 }),
        model: "fake-embed",
      }),
      // The query is embedded only when the vector ranking counts.
      tuning: { vectorWeight: 1 },
    });
  });
  afterAll(async () => {
    await app.close();
    await fake.close();
  });

  it.each([
    [429, "rate_limited", 429],
    [500, "upstream_error", 502],
  ])(
    "answers HTTP %i from the embedder as %s without the provider's words or URL",
    async (upstreamStatus, code, status) => {
      const providerText = "Rate limit reached for org-Secret123 on requests per min";
      fake.enqueue("/v1/embeddings", {
        kind: "status",
        status: upstreamStatus,
        body: { error: { message: providerText, type: "requests" } },
      });
      const response = await fetch(`${app.baseUrl}/v1/search`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ question: "how do I roll back checkout-api" }),
      });
      expect(response.status).toBe(status);
      const body = await response.json();
      expect(body.error.code).toBe(code);
      expect(body.error.message).toMatch(/model endpoint/);
      const text = JSON.stringify(body);
      expect(text).not.toContain("org-Secret123");
      expect(text).not.toContain(fake.baseURL);
      // The operators still see what happened, under the request id.
      const logged = JSON.stringify(
        app.logs.filter((log) => log.message === "request failed"),
        (_key, value) => (value instanceof Error ? { message: value.message } : value),
      );
      expect(logged).toContain("org-Secret123");
    },
  );
});
