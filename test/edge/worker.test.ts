import { readFile } from "node:fs/promises";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import OpenAI from "openai";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createAskClient } from "../../src/client/ask-client.js";
import { type FakeOpenAI, startFakeOpenAI } from "../helpers/fake-openai.js";
import { readSse, type SseEvent } from "../helpers/read-sse.js";
import { startTestApp, type TestApp } from "../helpers/start-app.js";
import { type EdgeWorker, startEdgeWorker } from "../helpers/start-edge-worker.js";
import { waitFor } from "../helpers/wait-for.js";

const publicDir = join(import.meta.dirname, "../../dist/public");
const question = "How do I roll back checkout-api?";
const apiKey = "edge-test-key-0123456789";

/** A URL on 127.0.0.1 where nothing listens. */
async function closedPortUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}`;
}

/**
 * The built Worker (dist/edge/worker.js) in workerd, in front of the real Node
 * app on 127.0.0.1 with a fake OpenAI-compatible model behind it.
 */
describe("edge Worker", () => {
  let fake: FakeOpenAI;
  let origin: TestApp;
  /** CORS allows https://portal.example; no key. */
  let edge: EdgeWorker;
  /** API_KEYS set: two named keys. */
  let keyed: EdgeWorker;
  /** ORIGIN_URL points at a closed port. */
  let originDown: EdgeWorker;
  /** wrangler.toml as committed: ORIGIN_URL blank. */
  let unconfigured: EdgeWorker;

  beforeAll(async () => {
    fake = await startFakeOpenAI();
    origin = await startTestApp({
      chat: {
        client: new OpenAI({
          baseURL: fake.baseURL,
          apiKey: "test-key",
          maxRetries: 0,
          timeout: 10_000,
        }),
        model: "fake-chat",
        maxTokens: 300,
        temperature: 0,
        timeoutMs: 10_000,
        totalTimeoutMs: 60_000,
      },
      widget: true,
    });
    [edge, keyed, originDown, unconfigured] = await Promise.all([
      startEdgeWorker({ ORIGIN_URL: origin.baseUrl, CORS_ORIGINS: "https://portal.example" }),
      startEdgeWorker({
        ORIGIN_URL: origin.baseUrl,
        API_KEYS: `portal:${apiKey}, chat-bot:another-key-0123456789`,
      }),
      closedPortUrl().then((url) => startEdgeWorker({ ORIGIN_URL: url })),
      startEdgeWorker({}),
    ]);
  }, 90_000);
  afterAll(async () => {
    await Promise.all([edge, keyed, originDown, unconfigured].map((worker) => worker?.close()));
    await origin?.close();
    await fake?.close();
  });
  beforeEach(() => {
    fake.chatReply = {
      chunks: ["Roll back ", "with `kubectl rollout undo` [1]", "."],
      delayMs: 5,
      finishReason: "stop",
    };
  });

  const ask = (worker: EdgeWorker, init: RequestInit = {}) =>
    fetch(`${worker.baseUrl}/v1/ask`, {
      method: "POST",
      headers: { "content-type": "application/json", accept: "text/event-stream" },
      body: JSON.stringify({ question }),
      ...init,
    });
  const chatRequests = () =>
    fake.requests.filter((request) => request.path === "/v1/chat/completions");
  const abandonedChats = () =>
    fake.abandoned.filter((request) => request.path === "/v1/chat/completions");

  it("serves the widget and the demo page from static assets, without the origin", async () => {
    const widget = await fetch(`${edge.baseUrl}/widget.js`);
    expect(widget.status).toBe(200);
    expect(widget.headers.get("content-type")).toMatch(/javascript/);
    const widgetJs = await widget.text();
    expect(widgetJs).toBe(await readFile(join(publicDir, "widget.js"), "utf8"));
    // npm run build:widget writes the bundle the Node server builds in memory.
    expect(widgetJs).toBe(await (await fetch(`${origin.baseUrl}/widget.js`)).text());
    const page = await fetch(`${edge.baseUrl}/`);
    expect(page.status).toBe(200);
    expect(page.headers.get("content-type")).toMatch(/text\/html/);
    const pageHtml = await page.text();
    expect(pageHtml).toBe(await readFile(join(publicDir, "index.html"), "utf8"));
    expect(pageHtml).toBe(await (await fetch(`${origin.baseUrl}/`)).text());
    // The same headers as the Node server: the page's CSP and the script's caching.
    const direct = await Promise.all([
      fetch(`${origin.baseUrl}/`),
      fetch(`${origin.baseUrl}/widget.js`),
    ]);
    expect(page.headers.get("content-security-policy")).toBe(
      direct[0].headers.get("content-security-policy"),
    );
    expect(widget.headers.get("cache-control")).toBe(direct[1].headers.get("cache-control"));
    expect((await fetch(`${edge.baseUrl}/_headers`)).status).toBe(404);
    const missing = await fetch(`${edge.baseUrl}/nope.js`);
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({ error: { code: "not_found" } });
    // Only the test's own direct requests reached the origin.
    const originPaths = origin.logs
      .filter((log) => log.message === "request")
      .map((log) => log.fields?.path);
    expect(originPaths.filter((path) => path === "/widget.js" || path === "/")).toHaveLength(4);
  });

  it("answers /v1/search, /healthz and /readyz exactly as the origin does", async () => {
    const search = `/v1/search?q=${encodeURIComponent("roll back checkout-api")}&topK=3`;
    for (const path of [search, "/healthz", "/readyz"]) {
      const [viaEdge, direct] = await Promise.all([
        fetch(`${edge.baseUrl}${path}`),
        fetch(`${origin.baseUrl}${path}`),
      ]);
      expect(viaEdge.status).toBe(direct.status);
      expect(viaEdge.headers.get("content-type")).toBe(direct.headers.get("content-type"));
      expect(await viaEdge.json()).toEqual(await direct.json());
    }
    const post = (baseUrl: string) =>
      fetch(`${baseUrl}/v1/search`, {
        method: "POST",
        headers: { "content-type": "application/json", "x-request-id": "edge-search-1" },
        body: JSON.stringify({ question: "checkout-api 502 errors", topK: 2 }),
      });
    const [viaEdge, direct] = await Promise.all([post(edge.baseUrl), post(origin.baseUrl)]);
    expect(viaEdge.status).toBe(200);
    expect(viaEdge.headers.get("x-request-id")).toBe("edge-search-1");
    expect(await viaEdge.json()).toEqual(await direct.json());
    // The origin logs the edge's request id, so one id follows a request through both.
    expect(
      origin.logs.filter(
        (log) => log.fields?.requestId === "edge-search-1" && log.fields?.method === "POST",
      ),
    ).toHaveLength(2);
  });

  it("passes origin errors through with their status and JSON body", async () => {
    const response = await fetch(`${edge.baseUrl}/v1/search`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ question: "" }),
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({
      error: { code: "invalid_request", details: [{ field: "question" }] },
    });
  });

  it("streams each delta as the model writes it, without waiting for the answer to end", async () => {
    // The model sends one chunk and then stalls: a buffering proxy would show nothing.
    fake.enqueue("/v1/chat/completions", { kind: "stall", afterChunks: 1 });
    const controller = new AbortController();
    const started = performance.now();
    const response = await ask(edge, { signal: controller.signal });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/^text\/event-stream/);
    const seen: SseEvent[] = [];
    for await (const item of readSse(response)) {
      if (!("event" in item)) continue;
      seen.push(item);
      if (item.event === "delta") break;
    }
    expect(seen.map((event) => event.event)).toEqual(["sources", "delta"]);
    expect(seen[1]?.data.text).toBe("Roll back ");
    // Well before the origin gives up on the stalled model (10 s) and ends the stream.
    expect(performance.now() - started).toBeLessThan(5_000);
    controller.abort();
  });

  it("delivers the whole answer stream, first delta well before the last", async () => {
    fake.chatReply = {
      chunks: ["Run `kubectl rollout undo` [1]", " and", " watch", " the pods."],
      delayMs: 250,
      finishReason: "stop",
    };
    const started = performance.now();
    const arrivals: { event: string; ms: number }[] = [];
    const events: SseEvent[] = [];
    for await (const item of readSse(await ask(edge))) {
      if (!("event" in item)) continue;
      events.push(item);
      arrivals.push({ event: item.event, ms: performance.now() - started });
    }
    expect(events.map((event) => event.event)).toEqual([
      "sources",
      "delta",
      "delta",
      "delta",
      "delta",
      "done",
    ]);
    expect(events.at(-1)?.data).toMatchObject({
      mode: "llm",
      finishReason: "stop",
      citations: [1],
    });
    const firstDelta = arrivals.find((arrival) => arrival.event === "delta")?.ms ?? 0;
    const done = arrivals.at(-1)?.ms ?? 0;
    // Four chunks 250 ms apart: the first must not have waited for the other three.
    expect(done - firstDelta).toBeGreaterThan(500);
  });

  it("aborts the origin's model call when the client leaves mid-answer", async () => {
    fake.chatReply = {
      chunks: Array.from({ length: 50 }, (_, n) => `word${n} `),
      delayMs: 100,
      finishReason: "stop",
    };
    const abandonedBefore = abandonedChats().length;
    const chatsBefore = chatRequests().length;
    const controller = new AbortController();
    const response = await ask(edge, { signal: controller.signal });
    for await (const item of readSse(response)) {
      if ("event" in item && item.event === "delta") break;
    }
    expect(chatRequests()).toHaveLength(chatsBefore + 1);
    controller.abort();
    await waitFor(
      () => abandonedChats().length === abandonedBefore + 1,
      "the fake model to see its connection closed",
    );
  });

  describe("CORS", () => {
    const preflight = (origin: string) =>
      fetch(`${edge.baseUrl}/v1/ask`, {
        method: "OPTIONS",
        headers: {
          origin,
          "access-control-request-method": "POST",
          "access-control-request-headers": "content-type",
        },
      });

    it("answers the preflight of an allowlisted origin and refuses others", async () => {
      const allowed = await preflight("https://portal.example");
      expect(allowed.status).toBe(204);
      expect(allowed.headers.get("access-control-allow-origin")).toBe("https://portal.example");
      expect(allowed.headers.get("access-control-allow-methods")).toContain("POST");
      expect(allowed.headers.get("access-control-allow-headers")).toContain("content-type");
      const refused = await preflight("https://evil.example");
      expect(refused.headers.get("access-control-allow-origin")).toBeNull();
      expect(origin.logs.some((log) => log.fields?.method === "OPTIONS")).toBe(false);
    });

    it("marks proxied answers for allowlisted origins only", async () => {
      const from = (portal: string) =>
        fetch(`${edge.baseUrl}/v1/search?q=rollback`, { headers: { origin: portal } });
      const allowed = await from("https://portal.example");
      expect(allowed.status).toBe(200);
      expect(allowed.headers.get("access-control-allow-origin")).toBe("https://portal.example");
      expect(allowed.headers.get("access-control-expose-headers")).toContain("x-request-id");
      const refused = await from("https://evil.example");
      expect(refused.headers.get("access-control-allow-origin")).toBeNull();
      // With no CORS_ORIGINS, no origin is allowed.
      const keyedRefused = await fetch(`${keyed.baseUrl}/v1/search?q=rollback`, {
        headers: { origin: "https://portal.example", authorization: `Bearer ${apiKey}` },
      });
      expect(keyedRefused.headers.get("access-control-allow-origin")).toBeNull();
    });
  });

  describe("with API_KEYS", () => {
    it("answers 401 unauthorized without the key or with a wrong one", async () => {
      const chatsBefore = chatRequests().length;
      for (const headers of [
        {},
        { authorization: "Bearer wrong-key" },
        { authorization: apiKey },
      ]) {
        const response = await fetch(`${keyed.baseUrl}/v1/search?q=rollback`, { headers });
        expect(response.status).toBe(401);
        expect(response.headers.get("www-authenticate")).toMatch(/^Bearer/);
        expect(await response.json()).toEqual({
          error: { code: "unauthorized", message: expect.stringMatching(/key/) },
        });
      }
      const refused = await ask(keyed);
      expect(refused.status).toBe(401);
      expect(chatRequests()).toHaveLength(chatsBefore);
    });

    it("keeps readiness (document counts, model) behind the key, and answers liveness itself", async () => {
      expect((await fetch(`${keyed.baseUrl}/readyz`)).status).toBe(401);
      const ready = await fetch(`${keyed.baseUrl}/readyz`, {
        headers: { authorization: `Bearer ${apiKey}` },
      });
      expect(ready.status).toBe(200);
      expect(await ready.json()).toMatchObject({ status: "ready" });
      expect(await (await fetch(`${keyed.baseUrl}/healthz`)).json()).toEqual({ status: "ok" });
    });

    it("forwards requests that carry the key, and leaves assets and preflights open", async () => {
      const response = await fetch(`${keyed.baseUrl}/v1/search?q=rollback`, {
        headers: { authorization: `Bearer ${apiKey}` },
      });
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual(
        await (await fetch(`${origin.baseUrl}/v1/search?q=rollback`)).json(),
      );
      expect((await fetch(`${keyed.baseUrl}/widget.js`)).status).toBe(200);
      const preflight = await fetch(`${keyed.baseUrl}/v1/ask`, {
        method: "OPTIONS",
        headers: { origin: "https://portal.example", "access-control-request-method": "POST" },
      });
      expect(preflight.status).toBe(204);
    });

    it("works with the typed client, which sends the key as a bearer token", async () => {
      const collect = async (client: ReturnType<typeof createAskClient>) => {
        const events = [];
        for await (const event of client.ask({ question })) events.push(event);
        return events;
      };
      const withKey = await collect(createAskClient({ baseUrl: keyed.baseUrl, apiKey }));
      expect(withKey.map((event) => event.type)).toEqual([
        "sources",
        "delta",
        "delta",
        "delta",
        "done",
      ]);
      const withoutKey = await collect(createAskClient({ baseUrl: keyed.baseUrl }));
      expect(withoutKey).toEqual([
        expect.objectContaining({ type: "error", code: "unauthorized", status: 401 }),
      ]);
    });
  });

  describe("when the origin cannot answer", () => {
    it("answers 502 upstream_error when it is unreachable, without naming its address", async () => {
      for (const path of ["/v1/search?q=rollback", "/readyz"]) {
        const response = await fetch(`${originDown.baseUrl}${path}`);
        expect(response.status).toBe(502);
        const body = (await response.json()) as { error: { code: string; message: string } };
        expect(body.error.code).toBe("upstream_error");
        expect(body.error.message).toMatch(/could not be reached/);
        expect(JSON.stringify(body)).not.toMatch(/127\.0\.0\.1|http:/);
      }
      // The edge itself is alive.
      expect((await fetch(`${originDown.baseUrl}/healthz`)).status).toBe(200);
    });

    it("answers 500 invalid_config while ORIGIN_URL is unset, and still serves assets", async () => {
      const response = await fetch(`${unconfigured.baseUrl}/v1/search?q=rollback`);
      expect(response.status).toBe(500);
      expect(await response.json()).toEqual({
        error: { code: "invalid_config", message: expect.stringMatching(/not configured/) },
      });
      expect((await fetch(`${unconfigured.baseUrl}/widget.js`)).status).toBe(200);
    });
  });
});
