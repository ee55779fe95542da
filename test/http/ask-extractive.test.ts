import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { collectSse, type SseEvent } from "../helpers/read-sse.js";
import { startTestApp, type TestApp } from "../helpers/start-app.js";

describe("/v1/ask without a chat model (extractive)", () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp();
  });
  afterAll(() => app.close());

  const ask = (body: unknown, headers: Record<string, string> = {}) =>
    fetch(`${app.baseUrl}/v1/ask`, {
      method: "POST",
      headers: { "content-type": "application/json", ...headers },
      body: JSON.stringify(body),
    });

  it("streams sources, then text, then done, with proxy-safe headers and ids in sequence", async () => {
    const response = await ask({ question: "How do I roll back the checkout-api deployment?" });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/^text\/event-stream/);
    expect(response.headers.get("cache-control")).toContain("no-cache");
    expect(response.headers.get("x-accel-buffering")).toBe("no");
    const requestId = response.headers.get("x-request-id");
    expect(requestId).toBeTruthy();

    const events = await collectSse(response);
    const names = events.map((event) => event.event);
    expect(names[0]).toBe("sources");
    expect(names.at(-1)).toBe("done");
    expect(names.slice(1, -1).every((name) => name === "delta")).toBe(true);
    expect(names.length).toBeGreaterThan(2);
    expect(events.map((event) => event.id)).toEqual(events.map((_, position) => String(position)));

    const sources = events[0]?.data as {
      requestId: string;
      coverage: string;
      sources: Record<string, unknown>[];
    };
    expect(sources.requestId).toBe(requestId);
    expect(sources.coverage).toBe("covered");
    expect(sources.sources[0]).toMatchObject({
      n: 1,
      path: expect.any(String),
      title: expect.any(String),
    });
    // Exactly the contract's fields: a section's place in its document stays internal.
    for (const source of sources.sources) {
      expect(Object.keys(source).sort()).toEqual(
        ["headingPath", "id", "kind", "n", "path", "score", "services", "snippet", "title"].sort(),
      );
    }

    const answer = events
      .filter((event) => event.event === "delta")
      .map((event) => event.data.text)
      .join("");
    expect(answer).toContain("rollout undo");
    const done = events.at(-1)?.data as Record<string, unknown> & {
      citations: number[];
      timings: Record<string, number>;
    };
    expect(done).toMatchObject({
      mode: "extractive",
      finishReason: "stop",
      model: null,
      promptVersion: null,
      requestId,
      // It quotes, so it is grounded; no model failed.
      grounded: true,
      fallback: null,
    });
    const sent = sources.sources.map((source) => source.n);
    expect(done.citations.length).toBeGreaterThan(0);
    for (const n of done.citations) {
      expect(sent).toContain(n);
      expect(answer).toContain(`[${n}]`);
    }
    const { retrievalMs = -1, firstTokenMs = -1, totalMs = -1 } = done.timings;
    expect(retrievalMs).toBeGreaterThanOrEqual(0);
    expect(firstTokenMs).toBeGreaterThanOrEqual(retrievalMs);
    expect(totalMs).toBeGreaterThanOrEqual(firstTokenMs);
  });

  it.each([
    [
      "nothing matches",
      "How do I bake sourdough bread?",
      "none",
      /no runbook or incident writeup matched/,
    ],
    [
      "only a word matches",
      "How do I bake sourdough bread in the checkout oven?",
      "weak",
      /nearest sections, which may not answer it:\n\n- .*\[1\]/,
    ],
  ])(
    "says the knowledge base does not cover a question when %s",
    async (_case, question, coverage, shown) => {
      const events = await collectSse(await ask({ question }));
      const answer = events
        .filter((event) => event.event === "delta")
        .map((event) => event.data.text)
        .join("");
      expect(events[0]?.data.coverage).toBe(coverage);
      expect(answer).toMatch(/does not seem to cover/);
      expect(answer).toMatch(shown);
      // Nothing backs it, and it says so.
      expect(events.at(-1)?.data).toMatchObject({
        finishReason: "not_covered",
        citations: [],
        grounded: false,
      });
    },
  );

  it("returns one JSON object for Accept: application/json and for stream: false", async () => {
    for (const response of [
      await ask(
        { question: "How do I fix the Redis pool exhausted errors?" },
        { accept: "application/json" },
      ),
      await ask({ question: "How do I fix the Redis pool exhausted errors?", stream: false }),
    ]) {
      expect(response.status).toBe(200);
      expect(response.headers.get("content-type")).toMatch(/^application\/json/);
      const body = (await response.json()) as Record<string, unknown> & {
        sources: { n: number }[];
        citations: number[];
      };
      expect(body).toMatchObject({ mode: "extractive", finishReason: "stop", coverage: "covered" });
      expect(body.answer).toEqual(expect.stringContaining("redis-cli"));
      expect(body.sources[0]).toMatchObject({ path: "runbooks/redis-pool-exhausted.md" });
      for (const n of body.citations) expect(body.sources.map((source) => source.n)).toContain(n);
      for (const key of ["requestId", "timings", "model", "usage"])
        expect(body).toHaveProperty(key);
      expect(body.promptVersion).toBeNull();
      expect(body).toMatchObject({ grounded: true, fallback: null, warnings: [] });
    }
  });

  it("serves browser EventSource through GET with query parameters", async () => {
    const url = `${app.baseUrl}/v1/ask?question=${encodeURIComponent("certificate expiry on the CDN")}&topK=2&kind=runbook`;
    const response = await fetch(url, { headers: { accept: "text/event-stream" } });
    expect(response.headers.get("content-type")).toMatch(/^text\/event-stream/);
    const events: SseEvent[] = await collectSse(response);
    const sources = events[0]?.data.sources as { path: string; kind: string }[];
    expect(sources.length).toBeLessThanOrEqual(2);
    expect(sources[0]?.path).toBe("runbooks/certificate-expiry.md");
    expect(sources.every((source) => source.kind === "runbook")).toBe(true);
    expect(events.at(-1)?.event).toBe("done");
  });

  it("tells an incident's story from its frontmatter: what happened, the root cause, what fixed it", async () => {
    const events = await collectSse(
      await ask({
        question: "has a bad release taken checkout down before? what was the root cause?",
      }),
    );
    const answer = events
      .filter((event) => event.event === "delta")
      .map((event) => event.data.text)
      .join("");
    expect(answer).toContain(
      [
        "**What happened:** Checkout returned 503s for 20 minutes",
        "**Root cause:** A release removed the readiness endpoint",
        "**What fixed it:** Rolled back the deployment",
      ].join("\n"),
    );
  });

  it("turns a quoted relative link into a link to the section it names, or to its KB path", async () => {
    const events = await collectSse(
      await ask({ question: "how was the checkout outage after the bad release resolved?" }),
    );
    const answer = events
      .filter((event) => event.event === "delta")
      .map((event) => event.data.text)
      .join("");
    const section = /\[the rollback runbook\]\((\/v1\/sections\/[0-9a-f]{24}(?:-\d+)?)\)/.exec(
      answer,
    );
    expect(section, answer).not.toBeNull();
    const linked = (await (await fetch(`${app.baseUrl}${section?.[1]}`)).json()) as {
      path: string;
      headingPath: string[];
    };
    expect(linked).toMatchObject({
      path: "runbooks/rollback-deployment.md",
      headingPath: ["Remediation"],
    });
    // Not in the KB: the link keeps the path it resolves to, from the KB's root.
    expect(answer).toContain("[the status page guide](runbooks/status-page.md)");
  });

  it("lets the ticket change what is retrieved", async () => {
    const question = "connection pool exhausted, what now?";
    const first = async (service: string) => {
      const events = await collectSse(
        await ask({ question, ticket: { service, title: "pool errors" } }),
      );
      return ((events[0]?.data.sources ?? []) as { path: string }[])[0]?.path;
    };
    expect(await first("cart-service")).toBe("runbooks/redis-pool-exhausted.md");
    expect(await first("orders-db")).toBe("runbooks/postgres-pool-exhausted.md");
  });

  it("answers 400 naming the bad field before any stream starts", async () => {
    const response = await ask({ question: "", topK: 99 });
    expect(response.status).toBe(400);
    const body = (await response.json()) as {
      error: { code: string; details: { field: string }[] };
    };
    expect(body.error.code).toBe("invalid_request");
    expect(body.error.details.map((detail) => detail.field).sort()).toEqual(["question", "topK"]);
  });

  it("rejects a GET ticket that is not JSON", async () => {
    const response = await fetch(`${app.baseUrl}/v1/ask?question=x&ticket=%7Bnope`);
    expect(response.status).toBe(400);
  });
});
