import { createHmac, timingSafeEqual } from "node:crypto";
import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";
import OpenAI from "openai";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { ToolSettings } from "../../src/http/create-app.js";
import { createMetrics, type Metrics } from "../../src/metrics/create-metrics.js";
import type { ChatModel } from "../../src/model/chat-model.js";
import { createActionWebhook } from "../../src/workflows/actions/create-action-webhook.js";
import { type FakeOpenAI, startFakeOpenAI } from "../helpers/fake-openai.js";
import { collectSse, type SseEvent } from "../helpers/read-sse.js";
import { startTestApp, type TestApp } from "../helpers/start-app.js";

const taxonomyYaml = [
  "version: '2026.11'",
  "categories:",
  "  - name: Application",
  "priorities:",
  "  - name: P1",
  "  - name: P2",
  "teams:",
  "  - name: payments-team",
  "    services: [checkout-api]",
  "  - name: data-team",
  "",
].join("\n");

interface ChatRequestBody {
  tools?: { function: { name: string } }[];
  tool_choice?: string;
  messages: { role: string; content: string | null; tool_call_id?: string }[];
}

describe("/v1/ask with TOOLS on", () => {
  let fake: FakeOpenAI;
  let app: TestApp;

  const chatModel = (): ChatModel => ({
    client: new OpenAI({ baseURL: fake.baseURL, apiKey: "test-key", maxRetries: 0 }),
    model: "fake-chat",
    maxTokens: 300,
    temperature: 0,
    timeoutMs: 5_000,
    totalTimeoutMs: 30_000,
  });
  let metrics: Metrics;
  const start = async (
    tools: ToolSettings | null = { maxSteps: 4 },
    kbFiles: Record<string, string> = {},
  ) => {
    metrics = createMetrics({ defaultMetrics: false });
    app = await startTestApp({
      metrics,
      chat: chatModel(),
      kbFiles: { "taxonomy.yaml": taxonomyYaml, ...kbFiles },
      ...(tools ? { tools } : {}),
    });
  };

  beforeEach(async () => {
    fake = await startFakeOpenAI();
    fake.chatReply = {
      chunks: ["Roll back with `kubectl rollout undo` [1]."],
      delayMs: 1,
      finishReason: "stop",
    };
  });
  afterEach(async () => {
    await app?.close();
    await fake.close();
  });

  const ask = async (body: Record<string, unknown>) =>
    collectSse(
      await fetch(`${app.baseUrl}/v1/ask`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ question: "How do I roll back checkout-api?", ...body }),
      }),
    );
  const chatRequests = () =>
    fake.requests
      .filter((request) => request.path === "/v1/chat/completions")
      .map((request) => request.body as ChatRequestBody);
  const toolMessages = (request: ChatRequestBody | undefined) =>
    (request?.messages ?? []).filter((message) => message.role === "tool");
  const named = (events: SseEvent[], name: string) =>
    events.filter((event) => event.event === name);

  it("sends no tools and no tool events with TOOLS off", async () => {
    await start(null);
    const events = await ask({});
    expect(events.map((event) => event.event)).toEqual(["sources", "delta", "done"]);
    expect(chatRequests()[0]?.tools).toBeUndefined();
  });

  it("tells the model how to use the tools from the tools prompt file, which the KB may override", async () => {
    await start();
    await ask({});
    const guidance = (request: ChatRequestBody | undefined) =>
      request?.messages.filter((message) => message.role === "system").at(-1)?.content;
    expect(guidance(chatRequests()[0])).toMatch(/^You may call tools to look further/);
    await app.close();

    await start(undefined, {
      "prompts/tools.md": "---\nversion: tools-ours\n---\nUse search_kb before you answer.\n",
    });
    await ask({});
    expect(guidance(chatRequests()[1])).toBe("Use search_kb before you answer.");
  });

  it("runs a tool round trip: the call and its result are streamed, and the sections it found are citable", async () => {
    await start();
    fake.enqueueChatReplies({
      chunks: [],
      toolCalls: [
        {
          id: "call_1",
          name: "search_kb",
          arguments: '{"query":"redis max number of clients reached"}',
        },
      ],
    });
    fake.chatReply = {
      chunks: ["Raise maxclients [3]", " after the rollback [1]."],
      delayMs: 1,
      finishReason: "stop",
    };
    const events = await ask({ topK: 2 });

    expect(events.map((event) => event.event)).toEqual([
      "sources",
      "tool_call",
      "tool_result",
      "delta",
      "delta",
      "done",
    ]);
    expect(events[1]?.data).toEqual({
      id: "call_1",
      name: "search_kb",
      arguments: { query: "redis max number of clients reached" },
    });
    const result = events[2]?.data as {
      ok: boolean;
      sources: { n: number; path: string }[];
      result: { sections: { n: number; text: string }[] };
      ms: number;
    };
    expect(result).toMatchObject({ id: "call_1", name: "search_kb", ok: true });
    expect(result.sources[0]).toMatchObject({ n: 3, path: expect.stringMatching(/redis/) });
    expect(result.result.sections.map((section) => section.n)).toEqual(
      result.sources.map((source) => source.n),
    );
    expect(events.at(-1)?.data).toMatchObject({ mode: "llm", citations: [1, 3], grounded: true });

    // The model saw what it offered, then the result in a tool message answering its call.
    const [first, second] = chatRequests();
    expect(first?.tools?.map((tool) => tool.function.name)).toEqual([
      "search_kb",
      "open_section",
      "lookup_service",
      "find_similar_tickets",
      "propose_assignment",
    ]);
    expect(first?.tool_choice).toBe("auto");
    expect(toolMessages(second)).toEqual([
      expect.objectContaining({
        tool_call_id: "call_1",
        content: expect.stringContaining('"n":3'),
      }),
    ]);
  });

  it("lists the tools' sections with the rest in the JSON answer", async () => {
    await start();
    fake.enqueueChatReplies({
      chunks: [],
      toolCalls: [{ name: "open_section", arguments: '{"id":"1"}' }],
    });
    const response = await fetch(`${app.baseUrl}/v1/ask`, {
      method: "POST",
      headers: { "content-type": "application/json", accept: "application/json" },
      body: JSON.stringify({ question: "How do I roll back checkout-api?", topK: 2 }),
    });
    const body = await response.json();
    // Source 1 opened whole keeps its number: nothing is added.
    expect(body.sources.map((source: { n: number }) => source.n)).toEqual([1, 2]);
    expect(body.toolCalls).toEqual([
      { id: "call_fake_0", name: "open_section", arguments: { id: "1" } },
    ]);
    expect(body.toolResults[0]).toMatchObject({ ok: true, result: { n: 1 } });
    expect(body.proposedActions).toEqual([]);
    expect(body.citations).toEqual([1]);
  });

  it("answers /v1/chat/completions with the same tools, the tools' sections linked in the sources line", async () => {
    await start();
    const search = {
      id: "s",
      name: "search_kb",
      arguments: '{"query":"redis max number of clients"}',
    };
    fake.enqueueChatReplies({ chunks: [], toolCalls: [search] });
    const client = new OpenAI({ apiKey: "none", baseURL: `${app.baseUrl}/v1`, maxRetries: 0 });
    const messages = [{ role: "user" as const, content: "How do I roll back checkout-api?" }];
    // topK is the server's default (5): ask once to learn what number the tool's section gets.
    const whole = await client.chat.completions.create({ model: "kb-answers", messages });
    const sources = (whole as unknown as { kb_sources: { n: number; id: string; path: string }[] })
      .kb_sources;
    const found = sources.find((source) => source.path.includes("redis"));
    expect(found).toBeDefined();
    expect(whole.choices[0]?.finish_reason).toBe("stop");

    // Numbered after the five retrieved: a source only the tool found.
    expect(found?.n).toBeGreaterThan(5);

    // Streamed, the sources line (after the text) links it when the answer cites it.
    fake.enqueueChatReplies({ chunks: [], toolCalls: [search] });
    fake.chatReply = {
      chunks: [`Raise maxclients [${found?.n}].`],
      delayMs: 1,
      finishReason: "stop",
    };
    const stream = await client.chat.completions.create({
      model: "kb-answers",
      messages,
      stream: true,
    });
    let text = "";
    for await (const chunk of stream) text += chunk.choices[0]?.delta?.content ?? "";
    expect(text).toContain(`/v1/sections/${found?.id}`);
  });

  it.each([
    ["arguments of the wrong type", '{"query": 5}', /query/],
    ["arguments that are not JSON", '{"query": "redis', /not JSON/],
  ])(
    "returns %s to the model as an error result and still answers",
    async (_case, args, message) => {
      await start();
      fake.enqueueChatReplies({
        chunks: [],
        toolCalls: [{ id: "bad", name: "search_kb", arguments: args }],
      });
      const events = await ask({});
      const [result] = named(events, "tool_result");
      expect(result?.data).toMatchObject({
        ok: false,
        error: { code: "invalid_arguments", message: expect.stringMatching(message) },
      });
      expect(JSON.parse(toolMessages(chatRequests()[1])[0]?.content ?? "")).toEqual({
        error: { code: "invalid_arguments", message: expect.stringMatching(message) },
      });
      expect(events.at(-1)?.data).toMatchObject({ mode: "llm", finishReason: "stop" });
    },
  );

  it("reports a tool that fails as an error result, keeping its internals in the log", async () => {
    await start({
      maxSteps: 4,
      lookupService: (name) => {
        if (name === "checkout-api") return { name, owner: "payments-team", tier: 1 };
        if (name === "broken") throw new Error("catalogue file is corrupt at /etc/secret/path");
        return undefined;
      },
    });
    fake.enqueueChatReplies({
      chunks: [],
      toolCalls: [
        { id: "a", name: "lookup_service", arguments: '{"name":"checkout-api"}' },
        { id: "b", name: "lookup_service", arguments: '{"name":"broken"}' },
        { id: "c", name: "lookup_service", arguments: '{"name":"nope"}' },
        { id: "d", name: "restart_service", arguments: "{}" },
      ],
    });
    const events = await ask({});
    const results = named(events, "tool_result").map((event) => event.data);
    expect(results).toEqual([
      expect.objectContaining({
        id: "a",
        ok: true,
        result: { name: "checkout-api", owner: "payments-team", tier: 1 },
      }),
      expect.objectContaining({
        id: "b",
        ok: false,
        error: { code: "tool_failed", message: expect.any(String) },
      }),
      expect.objectContaining({
        id: "c",
        ok: false,
        error: expect.objectContaining({ code: "not_found" }),
      }),
      expect.objectContaining({
        id: "d",
        ok: false,
        error: expect.objectContaining({ code: "unknown_tool" }),
      }),
    ]);
    expect(JSON.stringify(events)).not.toContain("/etc/secret");
    expect(app.logs).toContainEqual(
      expect.objectContaining({
        level: "warn",
        message: "tool failed",
        fields: expect.objectContaining({ tool: "lookup_service" }),
      }),
    );
    // Each call is announced before its result.
    expect(events.map((event) => event.event).slice(1, 9)).toEqual(
      Array.from({ length: 4 }, () => ["tool_call", "tool_result"]).flat(),
    );
    expect(events.at(-1)?.data).toMatchObject({ mode: "llm" });
    // Counted by tool and outcome; a tool name the model made up is not a label.
    const scraped = await metrics.registry.metrics();
    for (const series of [
      'kb_tool_calls_total{tool="lookup_service",outcome="ok"} 1',
      'kb_tool_calls_total{tool="lookup_service",outcome="tool_failed"} 1',
      'kb_tool_calls_total{tool="lookup_service",outcome="not_found"} 1',
      'kb_tool_calls_total{tool="unknown",outcome="unknown_tool"} 1',
    ]) {
      expect(scraped).toContain(series);
    }
    expect(scraped).not.toContain("restart_service");
  });

  it("looks services up in the KB's own catalogue when no lookup is passed in", async () => {
    metrics = createMetrics({ defaultMetrics: false });
    app = await startTestApp({
      metrics,
      chat: chatModel(),
      kbFiles: {
        "taxonomy.yaml": taxonomyYaml,
        "services.yaml": [
          "version: '1'",
          "services:",
          "  - name: checkout-api",
          "    aliases: [checkout]",
          "    owner: payments-team",
          "    on_call: { rotation: payments-primary }",
          "    tier: 1",
          "",
        ].join("\n"),
      },
      tools: { maxSteps: 4 },
    });
    fake.enqueueChatReplies({
      chunks: [],
      toolCalls: [
        { id: "a", name: "lookup_service", arguments: '{"name":"Checkout"}' },
        { id: "b", name: "lookup_service", arguments: '{"name":"billing"}' },
      ],
    });
    const events = await ask({});
    expect(named(events, "tool_result").map((event) => event.data)).toEqual([
      expect.objectContaining({
        id: "a",
        ok: true,
        result: expect.objectContaining({
          name: "checkout-api",
          owner: "payments-team",
          onCall: expect.objectContaining({ rotation: "payments-primary" }),
        }),
      }),
      expect.objectContaining({
        id: "b",
        ok: false,
        error: expect.objectContaining({ code: "not_found" }),
      }),
    ]);
  });

  it("bounds the whole answer, every round together, by the total upstream timeout", async () => {
    metrics = createMetrics({ defaultMetrics: false });
    // Each round alone (about 600 and 500 ms) is within 900 ms; the two together are not.
    app = await startTestApp({
      metrics,
      chat: { ...chatModel(), totalTimeoutMs: 900 },
      kbFiles: { "taxonomy.yaml": taxonomyYaml },
      tools: { maxSteps: 4 },
    });
    fake.enqueueChatReplies(
      {
        chunks: ["Looking ", "that ", "up. "],
        delayMs: 200,
        toolCalls: [{ id: "a", name: "search_kb", arguments: '{"query":"roll back"}' }],
      },
      { chunks: ["Roll ", "back ", "with ", "undo ", "[1]."], delayMs: 100 },
    );
    const events = await ask({});
    expect(events.at(-1)).toMatchObject({ event: "error", data: { code: "upstream_timeout" } });
  });

  it("stops a model that never stops calling tools: asked once more without tools, then answered extractively", async () => {
    await start({ maxSteps: 2 });
    fake.chatReply = {
      chunks: [],
      delayMs: 1,
      finishReason: "stop",
      toolCalls: [{ id: "again", name: "search_kb", arguments: '{"query":"rollback"}' }],
    };
    const events = await ask({});
    const requests = chatRequests();
    expect(requests.map((request) => request.tool_choice)).toEqual(["auto", "auto", "none"]);
    expect(named(events, "tool_call").map((event) => event.data.id)).toEqual(["again", "again_1"]);
    expect(named(events, "warning")[0]?.data).toMatchObject({ code: "tool_limit" });
    const done = events.at(-1);
    expect(done?.event).toBe("done");
    expect(done?.data).toMatchObject({
      finishReason: "tool_limit",
      mode: "extractive",
      grounded: true,
    });
    expect(
      named(events, "delta")
        .map((event) => event.data.text)
        .join(""),
    ).toMatch(/\[1\]/);
  });

  it("proposes an assignment for the portal to confirm, checking the team against the taxonomy", async () => {
    await start();
    fake.enqueueChatReplies({
      chunks: [],
      toolCalls: [
        {
          id: "p1",
          name: "propose_assignment",
          arguments: '{"team":"platform","priority":"P1","reason":"x"}',
        },
        {
          id: "p2",
          name: "propose_assignment",
          arguments: '{"team":"Payments-Team","priority":"p1","reason":"checkout-api is theirs"}',
        },
      ],
    });
    fake.chatReply = {
      chunks: ["I proposed payments-team [1]."],
      delayMs: 1,
      finishReason: "stop",
    };
    const events = await ask({ ticket: { id: "INC-1", title: "checkout-api 503s" } });
    expect(events.map((event) => event.event)).toEqual([
      "sources",
      "tool_call",
      "tool_result",
      "tool_call",
      "tool_result",
      "proposed_action",
      "delta",
      "done",
    ]);
    expect(events[2]?.data).toMatchObject({
      ok: false,
      error: { code: "unknown_team", message: expect.stringContaining("payments-team, data-team") },
    });
    const action = events[5]?.data;
    expect(action).toEqual({
      id: expect.any(String),
      toolCallId: "p2",
      action: "propose_assignment",
      team: "payments-team",
      priority: "P1",
      reason: "checkout-api is theirs",
      delivery: "portal",
    });
    expect(events[4]?.data).toMatchObject({
      ok: true,
      result: { status: "proposed", id: action?.id },
    });
    expect(toolMessages(chatRequests()[1])[1]?.content).toMatch(/not been carried out/);
  });

  it("delivers a proposed action to the webhook, signed, retrying after a 500", async () => {
    const secret = "a-webhook-secret-of-some-length";
    const received: { headers: IncomingMessage["headers"]; body: string }[] = [];
    const receiver = createServer(async (request, response) => {
      const parts: Buffer[] = [];
      for await (const part of request) parts.push(part as Buffer);
      received.push({ headers: request.headers, body: Buffer.concat(parts).toString("utf8") });
      response.writeHead(received.length === 1 ? 500 : 204).end();
    });
    await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
    try {
      const { port } = receiver.address() as AddressInfo;
      const logs: { message: string; fields: unknown }[] = [];
      const log = (message: string, fields?: unknown) => logs.push({ message, fields });
      const deliver = createActionWebhook({
        url: `http://127.0.0.1:${port}/hooks/kb`,
        secret,
        maxAttempts: 3,
        baseDelayMs: 5,
        logger: { debug: log, info: log, warn: log, error: log },
      });
      await start({ maxSteps: 4, deliverAction: deliver });
      fake.enqueueChatReplies({
        chunks: [],
        toolCalls: [
          {
            id: "p",
            name: "propose_assignment",
            arguments: '{"team":"data-team","priority":"P2","reason":"db"}',
          },
        ],
      });
      const events = await ask({ ticket: { id: "INC-2", title: "orders-db slow" } });
      const [action] = named(events, "proposed_action");
      expect(action?.data).toMatchObject({
        team: "data-team",
        priority: "P2",
        delivery: "webhook",
      });

      await vi.waitFor(
        () => expect(logs.map((entry) => entry.message)).toContain("action delivered"),
        {
          timeout: 5_000,
        },
      );
      expect(received).toHaveLength(2);
      for (const { headers, body } of received) {
        // What a receiver does: HMAC-SHA256 over "<timestamp>.<body>", compared in constant time.
        const timestamp = String(headers["x-kb-timestamp"]);
        const expected = `sha256=${createHmac("sha256", secret).update(`${timestamp}.${body}`).digest("hex")}`;
        const signature = String(headers["x-kb-signature"]);
        expect(signature.length).toBe(expected.length);
        expect(timingSafeEqual(Buffer.from(signature), Buffer.from(expected))).toBe(true);
        expect(Math.abs(Date.now() / 1000 - Number(timestamp))).toBeLessThan(300);
        expect(headers["x-kb-delivery"]).toBe(action?.data.id);
        expect(JSON.parse(body)).toEqual({
          id: action?.data.id,
          action: "propose_assignment",
          team: "data-team",
          priority: "P2",
          reason: "db",
          requestId: events[0]?.data.requestId,
          question: "How do I roll back checkout-api?",
          ticketId: "INC-2",
          proposedAt: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/),
        });
      }
      await vi.waitFor(async () =>
        expect(await metrics.registry.metrics()).toContain(
          'kb_action_deliveries_total{outcome="delivered"} 1',
        ),
      );
      expect(logs.find((entry) => entry.message === "action delivered")?.fields).toMatchObject({
        actionId: action?.data.id,
        attempts: 2,
        status: 204,
      });
    } finally {
      receiver.closeAllConnections();
      await new Promise<void>((resolve) => receiver.close(() => resolve()));
    }
  });
});
