import { request as httpRequest } from "node:http";
import OpenAI from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createAskClient } from "../../src/client/ask-client.js";
import { loadConfig } from "../../src/config.js";
import { type FakeOpenAI, startFakeOpenAI } from "../helpers/fake-openai.js";
import { startTestApp, type TestApp } from "../helpers/start-app.js";

/** A raw request, so headers browsers set themselves (Host, Sec-Fetch-Site) can be forged. */
function send(
  url: string,
  options: { method?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<{
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}> {
  return new Promise((resolve, reject) => {
    const request = httpRequest(
      url,
      { method: options.method ?? "GET", headers: options.headers ?? {} },
      (response) => {
        let body = "";
        response.setEncoding("utf8");
        response.on("data", (chunk) => {
          body += chunk;
        });
        response.on("end", () =>
          resolve({ status: response.statusCode ?? 0, headers: response.headers, body }),
        );
      },
    );
    request.on("error", reject);
    request.end(options.body);
  });
}

describe("who may call the API", () => {
  let fake: FakeOpenAI;
  let open: TestApp;
  let keyed: TestApp;
  const portalKey = "portal-key-0123456789abcdef";
  const portal = "https://portal.example";

  beforeAll(async () => {
    fake = await startFakeOpenAI();
    const chat = {
      client: new OpenAI({ baseURL: fake.baseURL, apiKey: "test-key", maxRetries: 0 }),
      model: "fake-chat",
      maxTokens: 300,
      temperature: 0,
      timeoutMs: 5_000,
      totalTimeoutMs: 30_000,
    };
    // What loadConfig gives a loopback server with no keys: the loopback host names only.
    open = await startTestApp({
      chat,
      config: { allowedHosts: loadConfig({}).server.allowedHosts, corsOrigins: [portal] },
    });
    keyed = await startTestApp({
      chat,
      ingest: true,
      config: { apiKeys: [{ name: "service-portal", key: portalKey }] },
    });
  });
  afterAll(async () => {
    await open.close();
    await keyed.close();
    await fake.close();
  });

  const modelCalls = () =>
    fake.requests.filter((request) => request.path === "/v1/chat/completions").length;
  const question = encodeURIComponent("how do I roll back checkout-api");

  describe("requests a web page can make a browser send", () => {
    it("refuses a POST that is not JSON, before any model call", async () => {
      const before = modelCalls();
      const response = await send(`${open.baseUrl}/v1/ask`, {
        method: "POST",
        headers: { "content-type": "text/plain" },
        body: JSON.stringify({ question: "how do I roll back checkout-api" }),
      });
      expect(response.status).toBe(415);
      expect(JSON.parse(response.body).error.code).toBe("unsupported_media_type");
      expect(modelCalls()).toBe(before);
    });

    it("never runs an answer for HEAD", async () => {
      const before = modelCalls();
      const response = await send(`${open.baseUrl}/v1/ask?question=${question}`, {
        method: "HEAD",
      });
      expect(response.status).toBe(405);
      expect(response.headers.allow).toContain("GET");
      expect(modelCalls()).toBe(before);
    });

    it("refuses a request another site's page started, unless its origin is allowed", async () => {
      const before = modelCalls();
      const refused = await send(`${open.baseUrl}/v1/ask?question=${question}`, {
        headers: { "sec-fetch-site": "cross-site", "sec-fetch-mode": "no-cors" },
      });
      expect(refused.status).toBe(403);
      expect(JSON.parse(refused.body).error).toMatchObject({ code: "forbidden" });
      expect(JSON.parse(refused.body).error.message).toContain("CORS_ORIGINS");
      expect(modelCalls()).toBe(before);

      const allowed = await send(`${open.baseUrl}/v1/search?question=${question}`, {
        headers: { "sec-fetch-site": "cross-site", origin: portal },
      });
      expect(allowed.status).toBe(200);
    });

    it("answers only its own host names, so a rebound DNS name is refused", async () => {
      const port = new URL(open.baseUrl).port;
      const rebound = await send(`${open.baseUrl}/v1/search?question=${question}`, {
        headers: { host: `attacker.example:${port}` },
      });
      expect(rebound.status).toBe(403);
      expect(JSON.parse(rebound.body).error.message).toContain("ALLOWED_HOSTS");
      for (const host of [`localhost:${port}`, `127.0.0.1:${port}`, `[::1]:${port}`]) {
        const response = await send(`${open.baseUrl}/v1/search?question=${question}`, {
          headers: { host },
        });
        expect(response.status, host).toBe(200);
      }
    });
  });

  describe("API keys", () => {
    it("asks for a key, refuses a wrong one, and logs the caller's name, never the key", async () => {
      const missing = await send(`${keyed.baseUrl}/v1/search?question=${question}`);
      expect(missing.status).toBe(401);
      expect(missing.headers["www-authenticate"]).toContain("Bearer");
      expect(JSON.parse(missing.body).error.code).toBe("unauthorized");

      const wrong = await send(`${keyed.baseUrl}/v1/search?question=${question}`, {
        headers: { authorization: "Bearer not-the-portal-key-at-all" },
      });
      expect(wrong.status).toBe(401);

      const right = await send(`${keyed.baseUrl}/v1/search?question=${question}`, {
        headers: { authorization: `Bearer ${portalKey}` },
      });
      expect(right.status).toBe(200);
      expect(keyed.logs.some((log) => log.fields?.key === "service-portal")).toBe(true);
      expect(JSON.stringify(keyed.logs)).not.toContain(portalKey);
    });

    it("lets health checks through without a key", async () => {
      expect((await send(`${keyed.baseUrl}/healthz`)).status).toBe(200);
      expect((await send(`${keyed.baseUrl}/readyz`)).status).toBe(200);
    });

    it("works through the typed client with its apiKey option", async () => {
      const client = createAskClient({ baseUrl: keyed.baseUrl, apiKey: portalKey });
      const events = [];
      for await (const event of client.ask({ question: "how do I roll back checkout-api" })) {
        events.push(event.type);
      }
      expect(events.at(-1)).toBe("done");
      const refused = await createAskClient({ baseUrl: keyed.baseUrl }).search({
        question: "rollback",
      });
      expect(refused).toMatchObject({ ok: false, error: { code: "unauthorized", status: 401 } });
    });
  });
});

describe("the access settings", () => {
  it("refuses to serve other machines without keys unless told to, naming both ways out", () => {
    expect(() => loadConfig({ HOST: "0.0.0.0" })).toThrow(/API_KEYS[\s\S]*ALLOW_UNAUTHENTICATED/);
    expect(loadConfig({ HOST: "0.0.0.0", ALLOW_UNAUTHENTICATED: "true" }).server).toMatchObject({
      apiKeys: [],
      allowedHosts: [],
    });
    const keyed = loadConfig({ HOST: "0.0.0.0", API_KEYS: "desk:desk-key-0123456789abcdef" });
    expect(keyed.server.apiKeys).toEqual([{ name: "desk", key: "desk-key-0123456789abcdef" }]);
  });

  it("serves loopback names only by default on loopback, or the names listed", () => {
    expect(loadConfig({}).server.allowedHosts).toEqual(["localhost", "127.0.0.1", "::1"]);
    expect(loadConfig({ ALLOWED_HOSTS: "KB.example.internal, kb" }).server.allowedHosts).toEqual([
      "kb.example.internal",
      "kb",
    ]);
  });

  it("names each bad API_KEYS entry without repeating its key", () => {
    const secret = "short-secret";
    let message = "";
    try {
      loadConfig({
        API_KEYS: `desk:${secret}, :anonymous-key-0123456789, a:b c d e f g h i j k l m n`,
      });
    } catch (error) {
      message = error instanceof Error ? error.message : String(error);
    }
    expect(message).toMatch(/API_KEYS: entry 1 \(desk\): the key must be at least 16/);
    expect(message).toMatch(/entry 2 must be name:key/);
    expect(message).toMatch(/entry 3 \(a\): the key must be/);
    expect(message).not.toContain(secret);
    expect(message).not.toContain("anonymous-key");
  });
});
