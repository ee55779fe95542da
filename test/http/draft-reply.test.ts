import OpenAI from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type FakeOpenAI, startFakeOpenAI } from "../helpers/fake-openai.js";
import { collectSse, type SseEvent } from "../helpers/read-sse.js";
import { startTestApp, type TestApp } from "../helpers/start-app.js";
import { writeFiles } from "../helpers/temp-dir.js";
import { ticketHistory } from "../helpers/ticket-history.js";
import { waitFor } from "../helpers/wait-for.js";

/** Past tickets whose close notes carry what a reporter must never see. */
const internalHistory = [
  {
    id: "INC0077001",
    title: "Acme Retail: checkout connection slots exhausted",
    description:
      "checkout-api fails with remaining connection slots are reserved, pool exhausted for all customers",
    category: "Database",
    priority: "P1",
    team: "data-team",
    service: "orders-db",
    resolution:
      "Cancelled the migration holding locks on pg-orders-03.db.internal (10.20.30.41) and restarted PgBouncer. Same as INC0076990.",
    opened_at: "2026-04-01T08:00:00Z",
    resolved_at: "2026-04-01T09:00:00Z",
  },
]
  .map((ticket) => JSON.stringify(ticket))
  .join("\n");

const ticket = {
  id: "INC0099001",
  title: "Checkout connection slots exhausted",
  description:
    "checkout-api fails with FATAL: remaining connection slots are reserved since the 10:00 migration; the pool is exhausted for all customers.",
  service: "checkout-api",
};

const postDraft = (app: TestApp, body: unknown, headers: Record<string, string> = {}) =>
  fetch(`${app.baseUrl}/v1/draft-reply`, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: JSON.stringify(body),
  });

const textOf = (events: SseEvent[]) =>
  events
    .filter((event) => event.event === "delta")
    .map((event) => event.data.text)
    .join("");

describe("POST /v1/draft-reply, offline", () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp();
    await writeFiles(app.kbDir, {
      "tickets/history.jsonl": `${ticketHistory(30)}${internalHistory}\n`,
    });
    await app.ingest();
  });
  afterAll(() => app.close());

  it("streams sources (past tickets and runbook sections), a cited draft, then done", async () => {
    const response = await postDraft(app, { ticket });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("text/event-stream");
    const events = await collectSse(response);
    const names = events.map((event) => event.event);
    expect(names[0]).toBe("sources");
    expect(names.at(-1)).toBe("done");
    expect(names.slice(1, -1).every((name) => name === "delta")).toBe(true);

    const sources = events[0]?.data.sources as { n: number; kind: string; id: string }[];
    expect(sources.some((source) => source.kind === "ticket" && source.id === "INC0077001")).toBe(
      true,
    );
    expect(sources.some((source) => source.kind === "runbook")).toBe(true);
    expect(sources.map((source) => source.n)).toEqual(sources.map((_, index) => index + 1));

    const text = textOf(events);
    expect(text).toMatch(/^_Draft reply: check and edit before sending\._/);
    expect(text).toContain("Thank you for your report: checkout connection slots exhausted");
    expect(text).toMatch(/priority \*\*P1\*\*/);
    // The runbook's acting steps, cited.
    expect(text).toMatch(
      /1\. Look at PgBouncer with `SHOW POOLS;` to see waiting clients\. \[\d\]/,
    );
    const done = events.at(-1)?.data ?? {};
    expect(done).toMatchObject({ finishReason: "stop", mode: "extractive", promptVersion: null });
    const cited = [...text.matchAll(/\[(\d+)\]/g)].map((match) => Number(match[1]));
    expect(done.citations).toEqual([...new Set(cited)].sort((left, right) => left - right));
    expect(done.grounded).toBe(true);
  });

  it("a reporter reply carries no hosts, addresses, other tickets or their titles", async () => {
    const body = await (await postDraft(app, { ticket, stream: false })).json();
    const answer: string = body.answer;
    // The past fix is there, in its own words...
    expect(answer).toContain(
      "When this happened before, it was fixed this way: Cancelled the migration",
    );
    // ...without what is internal: removed by the last pass...
    for (const secret of ["pg-orders-03", "db.internal", "10.20.30.41", "INC0076990"]) {
      expect(answer).not.toContain(secret);
    }
    expect(answer).toContain("[internal detail removed]");
    // ...or never put in by the template: another customer's ticket and its title.
    expect(answer).not.toContain("INC0077001");
    expect(answer).not.toContain("Acme Retail");
    expect(answer).not.toMatch(/INC\d{4}\b/);
    // The reporter is not asked for what the ticket already says (service, error).
    expect(answer).not.toContain("could you tell us");
    expect(app.logs.some((log) => log.message === "draft reply redacted")).toBe(true);
  });

  it("a resolver note names the past tickets, their hosts and the triage reason", async () => {
    const body = await (
      await postDraft(app, { ticket, audience: "resolver" }, { accept: "application/json" })
    ).json();
    const answer: string = body.answer;
    expect(answer).toMatch(/^_Draft work note: check before posting\._/);
    expect(answer).toContain("INC0077001");
    expect(answer).toContain("pg-orders-03.db.internal (10.20.30.41)");
    expect(answer).toMatch(/\*\*Priority:\*\* P1, confidence [\d.]+: /);
    expect(answer).toContain("1. Look at PgBouncer with `SHOW POOLS;` to see waiting clients.");
    expect(body.mode).toBe("extractive");
  });

  it("asks the reporter only for what the ticket leaves out", async () => {
    const body = await (
      await postDraft(app, { ticket: { title: "the shop is slow today" }, stream: false })
    ).json();
    expect(body.answer).toContain(
      "could you tell us which service, site or system is affected and the exact error message you see, if any?",
    );
  });

  it("uses the triage it is given instead of triaging again", async () => {
    const triage = await (
      await fetch(`${app.baseUrl}/v1/triage`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ ticket }),
      })
    ).json();
    triage.priority = { label: "P4", confidence: 0.5, reason: "set by hand" };
    const body = await (await postDraft(app, { ticket, triage, stream: false })).json();
    expect(body.answer).toMatch(/priority \*\*P4\*\*/);
  });

  it("refuses an unknown audience or field, naming it", async () => {
    const response = await postDraft(app, { ticket, audience: "customer", tone: "warm" });
    expect(response.status).toBe(400);
    const body = await response.json();
    const fields = body.error.details.map((detail: { field: string }) => detail.field);
    expect(fields).toEqual(expect.arrayContaining(["audience", "tone"]));
  });
});

describe("POST /v1/draft-reply with a chat model", () => {
  let fake: FakeOpenAI;
  let app: TestApp;
  beforeAll(async () => {
    fake = await startFakeOpenAI();
    app = await startTestApp({
      chat: {
        client: new OpenAI({ baseURL: fake.baseURL, apiKey: "test-key", maxRetries: 0 }),
        model: "fake-chat",
        maxTokens: 300,
        temperature: 0,
        timeoutMs: 5_000,
        totalTimeoutMs: 30_000,
      },
    });
    await writeFiles(app.kbDir, {
      "tickets/history.jsonl": `${ticketHistory(30)}${internalHistory}\n`,
    });
    await app.ingest();
  });
  afterAll(async () => {
    await app.close();
    await fake.close();
  });
  const chatRequests = () =>
    fake.requests.filter((request) => request.path === "/v1/chat/completions");
  const promptOf = (request: { body: unknown } | undefined) =>
    JSON.stringify((request?.body as { messages?: unknown[] } | undefined)?.messages ?? []);

  it("streams the model's draft from a grounded prompt, citations checked, prompt version in done", async () => {
    fake.chatReply = {
      chunks: ["_Draft reply._ We are on it: ", "check the pool [1]", " and see [9]."],
      delayMs: 1,
      finishReason: "stop",
    };
    const events = await collectSse(await postDraft(app, { ticket, audience: "resolver" }));
    expect(events.map((event) => event.event)).toEqual([
      "sources",
      ...events.slice(1, -2).map(() => "delta"),
      "warning",
      "done",
    ]);
    expect(textOf(events)).toBe(fake.chatReply.chunks.join(""));
    expect(events.at(-2)?.data).toMatchObject({ code: "unknown_citation", citations: [9] });
    expect(events.at(-1)?.data).toMatchObject({
      mode: "llm",
      model: "fake-chat",
      citations: [1],
      promptVersion: "draft-reply-v1",
      fallback: null,
    });
    const prompt = promptOf(chatRequests().at(-1));
    expect(prompt).toContain("Past ticket INC0077001");
    expect(prompt).toContain("Cancelled the migration holding locks");
    expect(prompt).toContain("1. Look at PgBouncer");
  });

  it("shows a reporter's prompt no past ticket numbers or titles, and redacts the model's stream", async () => {
    fake.chatReply = {
      // A host name and an address split across chunks are still caught.
      chunks: [
        "We restarted pg-orders-",
        "03.db.internal and 10.20.",
        "30.41 as in INC0076990 [1].",
      ],
      delayMs: 1,
      finishReason: "stop",
    };
    const body = await (await postDraft(app, { ticket, stream: false })).json();
    expect(body.answer).toBe(
      "We restarted [internal detail removed] and [internal detail removed] as in [internal detail removed] [1].",
    );
    expect(body.mode).toBe("llm");
    const prompt = promptOf(chatRequests().at(-1));
    expect(prompt).not.toContain("INC0077001");
    expect(prompt).not.toContain("Acme Retail");
    expect(prompt).toContain("A similar past ticket's resolution");
  });

  it("falls back to the template draft when the model fails before writing, as /v1/ask does", async () => {
    fake.enqueue("/v1/chat/completions", { kind: "status", status: 500 });
    const events = await collectSse(await postDraft(app, { ticket }));
    const warning = events.find((event) => event.event === "warning");
    expect(warning?.data).toMatchObject({ code: "upstream_error" });
    expect(events.findIndex((event) => event.event === "warning")).toBe(1);
    expect(textOf(events)).toMatch(/^_Draft reply: check and edit before sending\._/);
    expect(events.at(-1)?.data).toMatchObject({
      mode: "extractive",
      model: null,
      fallback: { code: "upstream_error" },
      promptVersion: null,
    });
  });

  it("writes from a prompt file the KB overrides, reloaded without a restart, its version in done and the log", async () => {
    fake.chatReply = { chunks: ["Noted [1]."], delayMs: 1, finishReason: "stop" };
    await writeFiles(app.kbDir, {
      "prompts/draft-reply.md": [
        "---",
        "version: desk-tone-3",
        "audiences:",
        "  reporter: Write to the reporter, warmly.",
        "  resolver: Write a terse work note.",
        "---",
        "Draft a reply from the sources; each opens with {{boundary}}. {{audience}}",
      ].join("\n"),
    });
    await waitFor(
      () =>
        app.logs.some(
          (log) => log.message === "prompt loaded" && log.fields?.version === "desk-tone-3",
        ),
      "the new prompt file to load",
    );
    const body = await (await postDraft(app, { ticket, stream: false })).json();
    expect(body.promptVersion).toBe("desk-tone-3");
    const sent = chatRequests().at(-1)?.body as { messages?: { content: string }[] } | undefined;
    const system = sent?.messages?.[0];
    expect(system?.content).toMatch(
      /^Draft a reply from the sources; each opens with [0-9a-f]+\. Write to the reporter, warmly\.$/,
    );
    const logged = app.logs.filter((log) => log.message === "model draft").at(-1);
    expect(logged?.fields).toMatchObject({ promptVersion: "desk-tone-3", audience: "reporter" });
  });
});
