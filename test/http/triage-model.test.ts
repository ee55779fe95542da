import { rm } from "node:fs/promises";
import { join } from "node:path";
import OpenAI from "openai";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import type { TriageResponse } from "../../src/contract/triage-response.js";
import type { ChatModel } from "../../src/model/chat-model.js";
import { type FakeOpenAI, startFakeOpenAI } from "../helpers/fake-openai.js";
import { startTestApp, type TestApp } from "../helpers/start-app.js";
import { writeFiles } from "../helpers/temp-dir.js";
import { ticketHistory } from "../helpers/ticket-history.js";
import { waitFor } from "../helpers/wait-for.js";

type TriageBody = TriageResponse & { error: { code: string; message: string } };

const goodReply = {
  category: { label: "database", confidence: 0.92 },
  priority: { label: "P3", confidence: 0.7 },
  team: { label: "data-team", confidence: 0.95 },
  tags: ["postgres", "replication", "lag"],
  summary: "Replication lag on the orders-db replica.",
  others: [],
};

/** A whole chat completion whose message is `message`, as a queued raw reply. */
const completion = (message: Record<string, unknown>) => ({
  kind: "malformed" as const,
  body: {
    id: "chatcmpl-queued",
    object: "chat.completion",
    created: 0,
    model: "fake-chat",
    choices: [
      {
        index: 0,
        message: { role: "assistant", ...message },
        finish_reason: "stop",
        logprobs: null,
      },
    ],
  },
});

describe("POST /v1/triage with a chat model", () => {
  let fake: FakeOpenAI;
  let app: TestApp;
  beforeAll(async () => {
    fake = await startFakeOpenAI();
    const chat: ChatModel = {
      client: new OpenAI({
        baseURL: fake.baseURL,
        apiKey: "test-key",
        maxRetries: 0,
        timeout: 1_000,
      }),
      model: "fake-chat",
      maxTokens: 300,
      temperature: 0,
      timeoutMs: 1_000,
      totalTimeoutMs: 5_000,
    };
    app = await startTestApp({ chat });
    await writeFiles(app.kbDir, { "tickets/history.jsonl": ticketHistory(40) });
    await app.ingest();
  });
  afterEach(() => {
    fake.completionText = JSON.stringify(goodReply);
  });
  afterAll(async () => {
    await app.close();
    await fake.close();
  });

  const triage = async () => {
    const response = await fetch(`${app.baseUrl}/v1/triage`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        ticket: {
          title: "orders-db replica lagging",
          description: "replication lag is high since this morning",
        },
      }),
    });
    return { status: response.status, body: (await response.json()) as TriageBody };
  };
  const triageRequests = () =>
    fake.requests.filter((request) => request.path === "/v1/chat/completions");

  it("asks for structured output naming the history's labels, with similar tickets, and returns the model's labels", async () => {
    fake.completionText = JSON.stringify(goodReply);
    const before = triageRequests().length;
    const { status, body } = await triage();
    expect(status).toBe(200);
    expect(body).toMatchObject({
      mode: "model",
      model: "fake-chat",
      promptVersion: expect.stringMatching(/^triage-/),
      // Spelled as the history spells it, whatever the model's case.
      category: { label: "Database", confidence: 0.92 },
      team: { label: "data-team", confidence: 0.95 },
      summary: "Replication lag on the orders-db replica.",
      needs_review: true,
      review: ["priority confidence 0.7 is below 0.8"],
    });
    expect(body.tags.map((tag) => tag.label)).toEqual(["postgres", "replication", "lag"]);
    const sent = triageRequests().slice(before);
    expect(sent).toHaveLength(1);
    const request = sent[0]?.body as {
      response_format: {
        type: string;
        json_schema: {
          schema: { properties: { team: { properties: { label: { enum: string[] } } } } };
        };
      };
      messages: { content: string }[];
    };
    expect(request.response_format.type).toBe("json_schema");
    expect(
      request.response_format.json_schema.schema.properties.team.properties.label.enum.sort(),
    ).toEqual(["data-team", "payments-team", "workplace"]);
    expect(request.messages.at(-1)?.content).toMatch(/<examples>[\s\S]*team=data-team/);
  });

  it("tells the model which team the service catalogue says owns the ticket's service", async () => {
    fake.completionText = JSON.stringify(goodReply);
    await writeFiles(app.kbDir, {
      "services.yaml": 'version: "1"\nservices:\n  - { name: orders-db, owner: data-team }\n',
    });
    await waitFor(
      () => app.logs.some((log) => log.message === "service catalogue loaded"),
      "the service catalogue",
    );
    const before = triageRequests().length;
    expect((await triage()).status).toBe(200);
    const sent = JSON.stringify(triageRequests().slice(before)[0]?.body);
    expect(sent).toContain("the service catalogue: data-team owns orders-db");
    await rm(join(app.kbDir, "services.yaml"));
  });

  it("sends a label outside the taxonomy back once with the problem, and takes the corrected reply", async () => {
    fake.completionText = JSON.stringify(goodReply);
    fake.enqueue(
      "/v1/chat/completions",
      completion({
        content: JSON.stringify({ ...goodReply, team: { label: "dba-team", confidence: 0.9 } }),
      }),
    );
    const before = triageRequests().length;
    const { status, body } = await triage();
    expect(status).toBe(200);
    expect(body.team?.label).toBe("data-team");
    const retry = triageRequests().slice(before)[1]?.body as {
      messages: { role: string; content: string }[];
    };
    expect(retry.messages.at(-1)?.content).toMatch(/team\.label: must be one of .*"data-team"/);
  });

  it("reports malformed JSON twice as an upstream error, never passing it through", async () => {
    fake.enqueue(
      "/v1/chat/completions",
      completion({ content: "{not json" }),
      completion({ content: "Sure! Here it is" }),
    );
    const { status, body } = await triage();
    expect(status).toBe(502);
    expect(body.error.code).toBe("upstream_error");
    expect(body).not.toHaveProperty("team");
  });

  it("takes its instructions from the triage prompt file, a KB override picked up without a restart", async () => {
    fake.completionText = JSON.stringify(goodReply);
    await writeFiles(app.kbDir, {
      "prompts/triage.md": [
        "---",
        "version: desk-triage-7",
        "---",
        "Triage for the Larkspur desk. Tags {{tags}}.",
        "{{labels}}",
        "{{notes}}",
        "",
      ].join("\n"),
    });
    const { body } = await vi.waitFor(
      async () => {
        const answer = await triage();
        expect(answer.body.promptVersion).toBe("desk-triage-7");
        return answer;
      },
      { timeout: 5_000, interval: 100 },
    );
    expect(body.mode).toBe("model");
    const sent = triageRequests().at(-1)?.body as { messages: { role: string; content: string }[] };
    expect(sent.messages[0]?.content).toMatch(
      /^Triage for the Larkspur desk\. Tags \(lowercase words/,
    );
    expect(sent.messages[0]?.content).toContain('team: "');
  });

  it("reports a refusal and a timeout as upstream errors", async () => {
    fake.enqueue(
      "/v1/chat/completions",
      completion({ content: null, refusal: "I can't help with that." }),
    );
    const refused = await triage();
    expect(refused.status).toBe(502);
    expect(refused.body.error.code).toBe("upstream_error");

    fake.enqueue("/v1/chat/completions", { kind: "hang" });
    const slow = await triage();
    expect(slow.status).toBe(504);
    expect(slow.body.error.code).toBe("upstream_timeout");
  });
});
