import { createServer, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import OpenAI from "openai";
import { afterEach, describe, expect, it } from "vitest";
import { type ClientEvent, createAskClient } from "../../src/client/ask-client.js";
import { type FakeOpenAI, startFakeOpenAI } from "../helpers/fake-openai.js";
import { startTestApp, type TestApp } from "../helpers/start-app.js";
import { writeFiles } from "../helpers/temp-dir.js";
import { ticketHistory } from "../helpers/ticket-history.js";
import { waitFor } from "../helpers/wait-for.js";

async function collect(events: AsyncIterable<ClientEvent>): Promise<ClientEvent[]> {
  const all: ClientEvent[] = [];
  for await (const event of events) all.push(event);
  return all;
}

/** A server on 127.0.0.1 that answers every request the same way: one that breaks the contract. */
async function startServer(
  respond: (response: ServerResponse) => void,
): Promise<{ baseUrl: string; close(): Promise<void> }> {
  const server = createServer((_request, response) => respond(response));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

const sse =
  (...events: [name: string, data: string][]) =>
  (response: ServerResponse) => {
    response.writeHead(200, { "content-type": "text/event-stream" });
    response.end(events.map(([name, data]) => `event: ${name}\ndata: ${data}\n\n`).join(""));
  };

const json = (status: number, body: string) => (response: ServerResponse) => {
  response.writeHead(status, { "content-type": "application/json" });
  response.end(body);
};

const validSources = JSON.stringify({ requestId: "r1", coverage: "covered", sources: [] });

describe("createAskClient", () => {
  let app: TestApp | undefined;
  let fake: FakeOpenAI | undefined;
  afterEach(async () => {
    await app?.close();
    await fake?.close();
    app = undefined;
    fake = undefined;
  });

  const withModel = async (
    reply: { chunks: string[]; delayMs: number },
    options: { tools?: boolean } = {},
  ) => {
    fake = await startFakeOpenAI();
    fake.chatReply = { ...reply, finishReason: "stop" };
    app = await startTestApp({
      ...(options.tools ? { tools: { maxSteps: 2 } } : {}),
      chat: {
        client: new OpenAI({ baseURL: fake.baseURL, apiKey: "k", maxRetries: 0 }),
        model: "fake-chat",
        maxTokens: 100,
        temperature: 0,
        timeoutMs: 5_000,
        totalTimeoutMs: 30_000,
      },
    });
    return createAskClient({ baseUrl: app.baseUrl });
  };

  it("yields the server's events as typed values, sources first and done last", async () => {
    app = await startTestApp();
    const client = createAskClient({ baseUrl: `${app.baseUrl}/` });
    const events = await collect(
      client.ask({ question: "How do I roll back checkout-api?", topK: 3 }),
    );
    expect(events[0]?.type).toBe("sources");
    expect(events.at(-1)?.type).toBe("done");
    const sources = events[0]?.type === "sources" ? events[0].sources : [];
    expect(sources[0]?.path).toBe("runbooks/rollback-deployment.md");
    const text = events.flatMap((event) => (event.type === "delta" ? [event.text] : [])).join("");
    expect(text).toContain("rollout undo");
  });

  it("streams a drafted reply with the same typed events", async () => {
    app = await startTestApp();
    const events = await collect(
      createAskClient({ baseUrl: app.baseUrl }).draftReply({
        ticket: { title: "Postgres connection pool exhausted", service: "checkout-api" },
        audience: "resolver",
      }),
    );
    expect(events[0]?.type).toBe("sources");
    expect(events.at(-1)).toMatchObject({ type: "done", mode: "extractive" });
    const text = events.map((event) => (event.type === "delta" ? event.text : "")).join("");
    expect(text).toMatch(/^_Draft work note: check before posting\._/);
  });

  it("returns a 400 as an error value naming the problem", async () => {
    app = await startTestApp();
    const events = await collect(createAskClient({ baseUrl: app.baseUrl }).ask({ question: "" }));
    expect(events).toEqual([
      expect.objectContaining({
        type: "error",
        code: "invalid_request",
        status: 400,
        message: expect.stringContaining("question"),
      }),
    ]);
  });

  it("returns an unreachable server as a network_error value", async () => {
    const events = await collect(
      createAskClient({ baseUrl: "http://127.0.0.1:9" }).ask({ question: "x" }),
    );
    expect(events).toEqual([expect.objectContaining({ type: "error", code: "network_error" })]);
  });

  it("passes an upstream failure after text through as the stream's error event", async () => {
    const client = await withModel({ chunks: ["a ", "b ", "c"], delayMs: 5 });
    fake?.enqueue("/v1/chat/completions", { kind: "cut", afterChunks: 2 });
    const events = await collect(client.ask({ question: "How do I roll back checkout-api?" }));
    expect(events[0]?.type).toBe("sources");
    expect(events.at(-1)).toMatchObject({ type: "error", code: "upstream_error" });
    expect(events.some((event) => event.type === "warning")).toBe(false);
  });

  it("yields the fallback warning, then the extractive answer, when the model fails first", async () => {
    const client = await withModel({ chunks: ["a"], delayMs: 1 });
    fake?.enqueue("/v1/chat/completions", { kind: "status", status: 500 });
    const events = await collect(client.ask({ question: "How do I roll back checkout-api?" }));
    expect(events.slice(0, 3).map((event) => event.type)).toEqual(["sources", "warning", "delta"]);
    expect(events[1]).toMatchObject({ type: "warning", code: "upstream_error" });
    const done = events.at(-1);
    if (done?.type !== "done") throw new Error("expected done");
    expect(done.fallback).toEqual({ code: "upstream_error" });
    expect(done.mode).toBe("extractive");
  });

  it("aborting the signal ends the iteration quietly and aborts the model call", async () => {
    const client = await withModel({
      chunks: Array.from({ length: 40 }, (_, n) => `w${n} `),
      delayMs: 100,
    });
    const controller = new AbortController();
    const seen: string[] = [];
    for await (const event of client.ask({
      question: "How do I roll back checkout-api?",
      signal: controller.signal,
    })) {
      seen.push(event.type);
      if (event.type === "delta") controller.abort();
    }
    expect(seen.at(-1)).toBe("delta");
    await waitFor(() => fake?.abandoned.length === 1, "the model call to be aborted");
  });

  it("stopping the iteration early closes the connection too", async () => {
    const client = await withModel({
      chunks: Array.from({ length: 40 }, (_, n) => `w${n} `),
      delayMs: 100,
    });
    for await (const event of client.ask({ question: "How do I roll back checkout-api?" })) {
      if (event.type === "delta") break;
    }
    await waitFor(() => fake?.abandoned.length === 1, "the model call to be aborted");
  });

  it.each([
    ["data that is not JSON", [["delta", "{oops"]], /delta event carried data that is not JSON/],
    ["data that is not an object", [["delta", '"text"']], /delta event carried no object/],
    [
      "a field of the wrong type",
      [
        [
          "sources",
          JSON.stringify({ requestId: "r1", coverage: "covered", sources: [{ n: "1" }] }),
        ],
      ],
      /sources event does not match the documented stream: sources\.0\.n: expected number/,
    ],
    [
      "a value outside the contract",
      [
        ["sources", validSources],
        ["done", JSON.stringify({ requestId: "r1", finishReason: "tired", mode: "llm" })],
      ],
      /done event does not match the documented stream: finishReason: invalid value/,
    ],
    [
      "an error event without a message",
      [["error", JSON.stringify({ requestId: "r1", code: "E42" })]],
      /error event does not match the documented stream: .*message: expected string/,
    ],
  ] as const)("turns an event with %s into a protocol_error", async (_case, events, message) => {
    const server = await startServer(
      sse(...events.map(([name, data]) => [name, data] as [string, string])),
    );
    try {
      const seen = await collect(
        createAskClient({ baseUrl: server.baseUrl }).ask({ question: "x" }),
      );
      expect(seen.at(-1)).toEqual({
        type: "error",
        code: "protocol_error",
        message: expect.stringMatching(message),
      });
      expect(seen.filter((event) => event.type === "error")).toHaveLength(1);
    } finally {
      await server.close();
    }
  });

  it("ends with a typed shutting_down error when the server cuts an answer to restart", async () => {
    const server = await startServer(
      sse(
        ["delta", JSON.stringify({ text: "Roll back " })],
        [
          "error",
          JSON.stringify({
            requestId: "r1",
            code: "shutting_down",
            message:
              "The server is restarting, so this answer was cut short. Ask again in a moment.",
          }),
        ],
      ),
    );
    try {
      const seen = await collect(
        createAskClient({ baseUrl: server.baseUrl }).ask({ question: "x" }),
      );
      expect(seen.at(-1)).toEqual({
        type: "error",
        requestId: "r1",
        code: "shutting_down",
        message: expect.stringMatching(/ask again/i),
      });
    } finally {
      await server.close();
    }
  });

  it("passes on an error code that a newer server added, with its message", async () => {
    const server = await startServer(
      sse([
        "error",
        JSON.stringify({ requestId: "r1", code: "overloaded", message: "Busy, retry soon" }),
      ]),
    );
    try {
      const seen = await collect(
        createAskClient({ baseUrl: server.baseUrl }).ask({ question: "x" }),
      );
      expect(seen).toEqual([
        { type: "error", requestId: "r1", code: "overloaded", message: "Busy, retry soon" },
      ]);
    } finally {
      await server.close();
    }
  });

  it("yields a warning for citations the model made up, typed, before done", async () => {
    const client = await withModel({ chunks: ["Roll back [1]", " as in [9]."], delayMs: 1 });
    const events = await collect(client.ask({ question: "How do I roll back checkout-api?" }));
    expect(events.map((event) => event.type)).toEqual([
      "sources",
      "delta",
      "delta",
      "warning",
      "done",
    ]);
    const warning = events[3];
    if (warning?.type !== "warning") throw new Error("expected a warning");
    expect(warning).toMatchObject({ code: "unknown_citation", citations: [9] });
    expect(events[4]).toMatchObject({ type: "done", citations: [1], grounded: true });
  });

  it("yields tool calls, their results and proposed actions as typed values", async () => {
    const client = await withModel({ chunks: ["Proposed [1]."], delayMs: 1 }, { tools: true });
    fake?.enqueueChatReplies({
      chunks: [],
      toolCalls: [
        {
          id: "p",
          name: "propose_assignment",
          arguments: '{"team":"payments","priority":"P1","reason":"theirs"}',
        },
      ],
    });
    const events = await collect(client.ask({ question: "How do I roll back checkout-api?" }));
    expect(events.map((event) => event.type)).toEqual([
      "sources",
      "tool_call",
      "tool_result",
      "proposed_action",
      "delta",
      "done",
    ]);
    expect(events[1]).toMatchObject({ type: "tool_call", id: "p", name: "propose_assignment" });
    expect(events[2]).toMatchObject({ type: "tool_result", id: "p", ok: true });
    expect(events[3]).toMatchObject({
      type: "proposed_action",
      team: "payments",
      delivery: "portal",
    });
  });

  it("passes on a warning code that a newer server added, with its message", async () => {
    const server = await startServer(
      sse(
        ["sources", validSources],
        ["warning", JSON.stringify({ code: "stale_index", message: "The index is a day old" })],
        ["delta", JSON.stringify({ text: "Hi" })],
      ),
    );
    try {
      const seen = await collect(
        createAskClient({ baseUrl: server.baseUrl }).ask({ question: "x" }),
      );
      expect(seen[1]).toEqual({
        type: "warning",
        code: "stale_index",
        message: "The index is a day old",
      });
    } finally {
      await server.close();
    }
  });

  it("skips events it does not know, and reads a done without the newer fields, for servers of other versions", async () => {
    const server = await startServer(
      sse(
        ["sources", validSources],
        ["reasoning", JSON.stringify({ text: "thinking…" })],
        ["delta", JSON.stringify({ text: "Hi" })],
        [
          "done",
          JSON.stringify({
            requestId: "r1",
            finishReason: "stop",
            mode: "extractive",
            citations: [],
            timings: { retrievalMs: 1, firstTokenMs: 1, totalMs: 2 },
            model: null,
            usage: null,
            promptVersion: null,
          }),
        ],
      ),
    );
    try {
      const seen = await collect(
        createAskClient({ baseUrl: server.baseUrl }).ask({ question: "x" }),
      );
      expect(seen.map((event) => event.type)).toEqual(["sources", "delta", "done"]);
      // An older server sends no `grounded` or `fallback`: absent, not a protocol error.
      expect(seen[2]).not.toHaveProperty("grounded");
    } finally {
      await server.close();
    }
  });

  describe("similar()", () => {
    it("returns the past tickets most like a ticket, validated", async () => {
      app = await startTestApp();
      const tickets = [
        {
          id: "INC-100",
          title: "Checkout returns 503 after deploy",
          description: "checkout-api 503s right after the 14:05 release",
          team: "payments",
          service: "checkout-api",
          resolution: "Rolled back with kubectl rollout undo deployment/checkout-api",
        },
        {
          id: "INC-101",
          title: "Printer on floor 3 jammed",
          description: "paper jam again",
          team: "desk",
          resolution: "Cleared the jam",
        },
      ];
      await writeFiles(app.kbDir, {
        "tickets/history.jsonl": `${tickets.map((ticket) => JSON.stringify(ticket)).join("\n")}\n`,
      });
      await app.ingest();
      const result = await createAskClient({ baseUrl: app.baseUrl }).similar({
        ticket: { title: "checkout-api 503 errors after the release", service: "checkout-api" },
      });
      if (!result.ok) throw new Error(result.error.message);
      expect(result.data.tickets[0]).toMatchObject({
        id: "INC-100",
        resolution: expect.stringContaining("rollout undo"),
      });
    });
  });

  describe("triage()", () => {
    it("returns the labels with their confidence and the similar tickets, validated; a bad ticket is an error value", async () => {
      app = await startTestApp();
      await writeFiles(app.kbDir, { "tickets/history.jsonl": ticketHistory(30) });
      await app.ingest();
      const client = createAskClient({ baseUrl: app.baseUrl });
      const result = await client.triage({
        ticket: { title: "checkout returns 503 for all customers", service: "checkout-api" },
      });
      if (!result.ok) throw new Error(result.error.message);
      expect(result.data.team).toMatchObject({
        label: "payments-team",
        confidence: expect.any(Number),
      });
      expect(result.data.similar.tickets[0]?.labels.team).toBe("payments-team");
      const refused = await client.triage({ ticket: { service: "checkout-api" } });
      expect(refused).toMatchObject({ ok: false, error: { code: "invalid_request" } });
    });
  });

  describe("search()", () => {
    it("returns the results, validated, best first", async () => {
      app = await startTestApp();
      const result = await createAskClient({ baseUrl: app.baseUrl }).search({
        question: "roll back the checkout deployment",
        filters: { kind: "runbook" },
        topK: 3,
      });
      if (!result.ok) throw new Error(result.error.message);
      expect(result.data.results).toHaveLength(3);
      expect(result.data.results[0]).toMatchObject({
        n: 1,
        path: "runbooks/rollback-deployment.md",
        kind: "runbook",
        text: expect.stringContaining("rollout undo"),
      });
    });

    it("returns a 400 as an error value naming the field", async () => {
      app = await startTestApp();
      const result = await createAskClient({ baseUrl: app.baseUrl }).search({
        question: "x",
        topK: 99,
      });
      expect(result).toEqual({
        ok: false,
        error: {
          code: "invalid_request",
          status: 400,
          message: expect.stringContaining("topK"),
        },
      });
    });

    it("returns an unreachable server as a network_error value", async () => {
      const result = await createAskClient({ baseUrl: "http://127.0.0.1:9" }).search({
        question: "x",
      });
      expect(result).toMatchObject({ ok: false, error: { code: "network_error" } });
    });

    it.each([
      ["a body that is not JSON", json(200, "<html>"), /did not answer with JSON/],
      [
        "results of the wrong shape",
        json(200, JSON.stringify({ results: [{ path: 7 }] })),
        /does not match the documented response: results\.0\.n: expected number/,
      ],
      ["an error status with no error body", json(502, "Bad gateway"), /answered HTTP 502/],
    ])("returns %s as a protocol_error value", async (_case, respond, message) => {
      const server = await startServer(respond);
      try {
        const result = await createAskClient({ baseUrl: server.baseUrl }).search({ question: "x" });
        expect(result).toMatchObject({
          ok: false,
          error: { code: "protocol_error", message: expect.stringMatching(message) },
        });
      } finally {
        await server.close();
      }
    });
  });

  describe("section()", () => {
    it("returns the whole section a source came from", async () => {
      app = await startTestApp();
      const client = createAskClient({ baseUrl: app.baseUrl });
      const found = await client.search({ question: "roll back the checkout deployment" });
      const source = found.ok ? found.data.results[0] : undefined;
      if (!source) throw new Error("no search result");
      const section = await client.section(source.id);
      expect(section).toEqual({
        ok: true,
        data: {
          id: source.id,
          path: source.path,
          title: source.title,
          headingPath: source.headingPath,
          kind: source.kind,
          services: source.services,
          text: source.text,
        },
      });
    });

    it("returns an unknown id as not_found and a malformed one as invalid_request", async () => {
      app = await startTestApp();
      const client = createAskClient({ baseUrl: app.baseUrl });
      expect(await client.section("0".repeat(24))).toMatchObject({
        ok: false,
        error: { code: "not_found", status: 404 },
      });
      expect(await client.section("../healthz")).toMatchObject({
        ok: false,
        error: { code: "invalid_request", status: 400 },
      });
    });
  });
});
